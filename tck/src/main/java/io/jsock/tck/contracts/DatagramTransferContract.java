package io.jsock.tck.contracts;

import io.jsock.Datagram;
import io.jsock.Socket;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import static io.jsock.tck.contracts.DatagramSupport.boundPair;
import static io.jsock.tck.contracts.DatagramSupport.connected;
import static io.jsock.tck.contracts.DatagramSupport.random;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a datagram carries: boundaries, truncation, empty datagrams, senders, and a connected socket's filter. */
@ContractGroup(name = "transfer", appliesTo = Semantics.DATAGRAM)
public final class DatagramTransferContract {

    @Contract(id = "datagram.transfer.boundaries-kept",
            statement = "Each sendto is one datagram: each recvfrom with room for several returns exactly one, in the order sent.")
    void boundariesKept(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        SocketAddress to = p[1].getSockName();
        byte[][] sent = {text("first"), random(1000, 1), text("x"), random(4000, 2)};
        for (byte[] d : sent) {
            assertEquals(d.length, p[0].sendTo(d, to), "sendto returns the datagram's length");
        }
        for (int i = 0; i < sent.length; i++) {
            assertArrayEquals(sent[i], p[1].recv(65536), "datagram " + i + " received with room for all of them");
        }
    }

    @Contract(id = "datagram.transfer.truncated-to-bufsize-rest-discarded",
            statement = "recvfrom(n) of a longer datagram returns its first n bytes and discards the rest; the next call gets the next datagram.")
    void truncatedToBufsizeRestDiscarded(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        SocketAddress to = p[1].getSockName();
        p[0].sendTo(text("0123456789"), to);
        p[0].sendTo(text("next"), to);
        p[0].sendTo(text("abcdefgh"), to);
        p[0].sendTo(text("last"), to);
        Datagram d = p[1].recvFrom(3);
        assertArrayEquals(text("012"), d.data(), "recvfrom(3) of a 10-byte datagram");
        assertEquals(p[0].getSockName(), d.address(), "sender of the truncated datagram");
        assertArrayEquals(text("next"), p[1].recv(100), "the datagram after the truncated one");
        ByteBuffer small = ByteBuffer.allocate(5);
        SocketAddress from = p[1].recvFromInto(small);
        assertEquals(5, small.position(), "recvfrom_into a 5-byte buffer of an 8-byte datagram fills it");
        assertArrayEquals(text("abcde"), Arrays.copyOf(small.array(), 5), "bytes recvfrom_into kept");
        assertEquals(p[0].getSockName(), from, "sender by recvfrom_into");
        assertArrayEquals(text("last"), p[1].recv(100), "the datagram after the one recvfrom_into truncated");
    }

    @Contract(id = "datagram.transfer.empty-datagram-is-a-datagram",
            statement = "A zero-length datagram is delivered as one: recvfrom returns no bytes and the sender, recv an empty array, "
                    + "and it does not merge with the next.")
    void emptyDatagramIsADatagram(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        SocketAddress to = p[1].getSockName();
        assertEquals(0, p[0].sendTo(new byte[0], to), "sendto of an empty datagram returns 0");
        p[0].sendTo(new byte[0], to);
        p[0].sendTo(text("after"), to);
        Datagram d = p[1].recvFrom(100);
        assertEquals(0, d.data().length, "bytes of the empty datagram by recvfrom");
        assertEquals(p[0].getSockName(), d.address(), "sender of the empty datagram");
        assertEquals(0, p[1].recv(100).length, "the second empty datagram by recv");
        assertArrayEquals(text("after"), p[1].recv(100), "the datagram after the empty ones");
    }

    @Contract(id = "datagram.transfer.empty-datagram-on-connected-socket",
            statement = "send of zero bytes on a connected datagram socket sends an empty datagram to the peer.")
    void emptyDatagramOnConnectedSocket(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        assertEquals(0, t.optional("an empty datagram on a connected socket", () -> c.client().send(new byte[0])),
                "send of an empty datagram returns 0");
        c.client().send(text("after"));
        Datagram d = c.server().recvFrom(100);
        assertEquals(0, d.data().length, "bytes of the empty datagram sent on the connected socket");
        assertEquals(c.client().getSockName(), d.address(), "sender of the empty datagram");
        assertArrayEquals(text("after"), c.server().recv(100), "the datagram after the empty one");
    }

    @Contract(id = "datagram.transfer.recvfrom-gives-the-sender-to-reply-to",
            statement = "recvfrom returns the sender's address, and a sendto to it reaches the sender.")
    void recvfromGivesTheSenderToReplyTo(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        Socket other = t.bound();
        other.setTimeout(DatagramSupport.LIMIT);
        p[0].sendTo(text("from a"), p[1].getSockName());
        other.sendTo(text("from other"), p[1].getSockName());
        Datagram first = p[1].recvFrom(100);
        Datagram second = p[1].recvFrom(100);
        assertEquals(p[0].getSockName(), first.address(), "sender of the first datagram");
        assertEquals(other.getSockName(), second.address(), "sender of the second datagram");
        p[1].sendTo(text("reply a"), first.address());
        p[1].sendTo(text("reply other"), second.address());
        assertArrayEquals(text("reply a"), p[0].recv(100), "the reply to the first sender");
        assertArrayEquals(text("reply other"), other.recv(100), "the reply to the second sender");
    }

    @Contract(id = "datagram.transfer.connected-socket-ignores-other-senders",
            statement = "A connected datagram socket receives only its peer's datagrams; datagrams from other senders are not delivered.")
    void connectedSocketIgnoresOtherSenders(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        Socket stranger = t.bound();
        p[0].connect(p[1].getSockName());
        if (t.family() == io.jsock.AddressFamily.AF_UNIX) {
            // Linux AF_UNIX refuses at the sender what a socket connected elsewhere would not take (CPython: EPERM)
            io.jsock.SocketError refused = assertThrows(io.jsock.SocketError.class,
                    () -> stranger.sendTo(text("stranger"), p[0].getSockName()), "an AF_UNIX stranger's sendto");
            assertEquals(io.jsock.Errno.EPERM, refused.errno(), "errno of an AF_UNIX stranger's sendto: " + refused);
        } else {
            stranger.sendTo(text("stranger"), p[0].getSockName());
        }
        p[1].sendTo(text("peer"), p[0].getSockName());
        Datagram d = p[0].recvFrom(100);
        assertArrayEquals(text("peer"), d.data(), "the connected socket's first datagram must be its peer's");
        assertEquals(p[1].getSockName(), d.address(), "sender by recvfrom on a connected socket");
        p[0].setTimeout(Duration.ofMillis(200));
        assertThrows(SocketTimeoutError.class, () -> p[0].recv(100), "the stranger's datagram must never be delivered");
    }

    @Contract(id = "datagram.transfer.connected-pair-both-ways",
            statement = "Two datagram sockets connected to each other exchange datagrams with send and recv, recv_into, in both directions.")
    void connectedPairBothWays(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        byte[] up = random(1500, 3);
        byte[] down = random(700, 4);
        assertEquals(up.length, c.client().send(up), "send returns the datagram's length");
        c.client().sendAll(text("all"));
        assertArrayEquals(up, c.server().recv(2000), "datagram client -> server");
        assertArrayEquals(text("all"), c.server().recv(2000), "sendall is one datagram");
        c.server().send(ByteBuffer.wrap(down));
        ByteBuffer direct = ByteBuffer.allocateDirect(2000);
        assertEquals(down.length, c.client().recvInto(direct), "recv_into a direct buffer returns the datagram's length");
        byte[] got = new byte[down.length];
        direct.flip().get(got);
        assertArrayEquals(down, got, "datagram server -> client by recv_into");
    }

    @Contract(id = "datagram.transfer.recv-zero-leaves-the-datagram",
            statement = "recv(0) and recv_into of an empty buffer return at once with nothing and leave the next datagram queued, "
                    + "while recvfrom(0) takes one datagram, as CPython does.")
    void recvZeroLeavesTheDatagram(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        SocketAddress to = p[1].getSockName();
        assertEquals(0, p[1].recv(0).length, "recv(0) with nothing queued returns at once");
        p[0].sendTo(text("one"), to);
        p[0].sendTo(text("two"), to);
        assertEquals(0, p[1].recv(0).length, "recv(0) returns no bytes");
        assertEquals(0, p[1].recvInto(ByteBuffer.allocate(0)), "recv_into of an empty buffer returns 0");
        Datagram taken = p[1].recvFrom(0);
        assertEquals(0, taken.data().length, "recvfrom(0) returns no bytes");
        assertEquals(p[0].getSockName(), taken.address(), "recvfrom(0) returns the sender");
        assertArrayEquals(text("two"), p[1].recv(100), "after recv(0), recv_into(empty) and recvfrom(0), the second datagram");
    }

    @Contract(id = "datagram.transfer.byte-buffers-advance",
            statement = "sendto of a ByteBuffer sends its remaining bytes and advances it; recvfrom_into advances the destination.")
    void byteBuffersAdvance(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        ByteBuffer src = ByteBuffer.wrap(text("..payload.."));
        src.position(2).limit(9);
        assertEquals(7, p[0].sendTo(src, p[1].getSockName()), "sendto of a buffer with 7 bytes remaining");
        assertEquals(9, src.position(), "position of the sent buffer");
        ByteBuffer dst = ByteBuffer.allocateDirect(64);
        dst.position(10);
        assertEquals(p[0].getSockName(), p[1].recvFromInto(dst), "sender by recvfrom_into");
        assertEquals(17, dst.position(), "position after recvfrom_into of 7 bytes from position 10");
        byte[] got = new byte[7];
        dst.flip().position(10);
        dst.get(got);
        assertArrayEquals(text("payload"), got, "bytes by recvfrom_into");
    }

    @Contract(id = "datagram.transfer.connect-keeps-queued-datagrams",
            statement = "A datagram queued before connect() stays queued: a recv after connecting to its sender returns it, "
                    + "as on Linux.")
    void connectKeepsQueuedDatagrams(TckTarget t) throws Exception {
        Socket[] pair = boundPair(t);
        Socket a = pair[0];
        Socket b = pair[1];
        a.sendTo(text("queued"), b.getSockName()); // on loopback it is in b's queue when sendto returns
        b.connect(a.getSockName());
        b.setTimeout(Duration.ofSeconds(5));
        assertArrayEquals(text("queued"), b.recv(16), "recv after connect of the datagram queued before it");
    }
}
