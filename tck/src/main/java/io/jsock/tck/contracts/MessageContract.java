package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a reliable message socket (SOCK_SEQPACKET) adds to a connection: each send is one message,
 * and each recv returns one message, never merged with the next nor split.
 *
 * <p>A zero-length message and the end of the connection look the same to one recv (an empty
 * array, as CPython's {@code recv} returns {@code b''} for both on Linux, and {@code recvmsg}'s
 * flags do not tell them apart either); what tells them apart is what comes after.
 */
@ContractGroup(name = "messages", appliesTo = Semantics.RELIABLE_MESSAGE)
public final class MessageContract {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Contract(id = "message.boundaries-kept",
            statement = "Two sends are two messages: each recv with room for both returns exactly one, in both directions.")
    void boundariesKept(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        c.client().send(bytes("first", 5));
        c.client().send(bytes("second", 6));
        assertArrayEquals(bytes("first", 5), c.server().recv(1000), "recv(1000) with two messages queued must return the first alone");
        assertArrayEquals(bytes("second", 6), c.server().recv(1000), "the second recv must return the second message alone");
        c.server().sendAll(bytes("up", 300));
        c.server().sendAll(bytes("down", 200));
        ByteBuffer into = ByteBuffer.allocate(1000);
        assertEquals(300, c.client().recvInto(into), "recvInto with room for both messages must take the first (300 bytes) alone");
        assertArrayEquals(bytes("up", 300), Arrays.copyOf(into.array(), into.position()), "bytes of the first message by recvInto");
        ByteBuffer direct = ByteBuffer.allocateDirect(1000);
        assertEquals(200, c.client().recvInto(direct), "recvInto a direct buffer must take the second message (200 bytes) alone");
        byte[] second = new byte[200];
        direct.flip().get(second);
        assertArrayEquals(bytes("down", 200), second, "bytes of the second message by recvInto a direct buffer");
    }

    @Contract(id = "message.truncated-to-bufsize-rest-discarded",
            statement = "recv(n) of a longer message returns its first n bytes and discards the rest; the next recv returns the next message.")
    void truncatedToBufsizeRestDiscarded(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        c.client().send("0123456789".getBytes());
        c.client().send("next".getBytes());
        c.client().send("abcdefgh".getBytes());
        c.client().send("last".getBytes());
        assertArrayEquals("0123".getBytes(), c.server().recv(4), "recv(4) of a 10-byte message");
        assertArrayEquals("next".getBytes(), c.server().recv(100),
                "recv after a truncated message must return the next message, not the truncated one's rest");
        ByteBuffer small = ByteBuffer.allocate(3);
        assertEquals(3, c.server().recvInto(small), "recvInto a 3-byte buffer of an 8-byte message");
        assertArrayEquals("abc".getBytes(), small.array(), "bytes recvInto kept of the truncated message");
        assertArrayEquals("last".getBytes(), c.server().recv(100), "recv after a truncated recvInto must return the next message");
    }

    @Contract(id = "message.empty-message-is-not-end-of-stream",
            statement = "A zero-length message arrives as an empty recv, like the end of the stream, but the connection goes on: "
                    + "the next message follows, and with nothing queued a non-blocking recv raises EAGAIN, not another empty result.")
    void emptyMessageIsNotEndOfStream(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        assertEquals(0, c.client().send(new byte[0]), "send of an empty message sends 0 bytes");
        c.client().send("after".getBytes());
        c.client().sendAll(new byte[0]);
        assertEquals(0, c.server().recv(100).length, "recv of the empty message returns an empty array");
        assertArrayEquals("after".getBytes(), c.server().recv(100), "the message after an empty one must still arrive");
        assertEquals(0, c.server().recvInto(ByteBuffer.allocate(100)), "recvInto of the empty message sendAll sent returns 0");
        c.server().setBlocking(false);
        assertErrno(Errno.EAGAIN, "non-blocking recv after the empty message, with nothing queued and the peer still there",
                () -> c.server().recv(100));
        c.client().send("still open".getBytes());
        c.server().setTimeout(LIMIT);
        assertArrayEquals("still open".getBytes(), c.server().recv(100), "a message sent after the empty one was received");
    }

    @Contract(id = "message.end-of-stream-after-peer-close-repeats",
            statement = "After the peer closes, the messages it sent are received, then every recv returns an empty array "
                    + "(a non-blocking one too, never EAGAIN).")
    void endOfStreamAfterPeerCloseRepeats(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        c.client().send("one".getBytes());
        c.client().send("two".getBytes());
        c.client().close();
        assertArrayEquals("one".getBytes(), c.server().recv(100), "first message sent before the close");
        assertArrayEquals("two".getBytes(), c.server().recv(100), "second message sent before the close");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, c.server().recv(100).length, "recv #" + (i + 1) + " after the peer closed must return the end of stream");
        }
        assertEquals(0, c.server().recvInto(ByteBuffer.allocate(10)), "recvInto after the peer closed");
        c.server().setBlocking(false);
        assertEquals(0, c.server().recv(100).length, "a non-blocking recv at the end of stream returns empty, not EAGAIN");
    }

    @Contract(id = "message.end-of-stream-after-peer-shutdown-write",
            statement = "After the peer's shutdown(SHUT_WR), the messages it sent are received, then recv returns an empty array, "
                    + "while messages still flow the other way.")
    void endOfStreamAfterPeerShutdownWrite(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        c.client().send("bye".getBytes());
        c.client().shutdown(Shutdown.SHUT_WR);
        assertArrayEquals("bye".getBytes(), c.server().recv(100), "message sent before SHUT_WR");
        assertEquals(0, c.server().recv(100).length, "recv after the peer's SHUT_WR must return the end of stream");
        assertEquals(0, c.server().recv(100).length, "and again");
        c.server().send("reply".getBytes());
        assertArrayEquals("reply".getBytes(), c.client().recv(100), "a message to the side that shut down its writing half");
        assertErrno(Errno.EPIPE, "send after one's own shutdown(SHUT_WR)", () -> c.client().send("x".getBytes()));
    }

    @Contract(id = "message.order-kept-across-many",
            statement = "Many messages of different sizes, the empty one among them, arrive in the order sent, each whole.")
    void orderKeptAcrossMany(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        int count = 500;
        TckTarget.Background<Void> sender = t.background("sending " + count + " messages", () -> {
            for (int i = 0; i < count; i++) {
                c.client().sendAll(numbered(i));
            }
            c.client().shutdown(Shutdown.SHUT_WR);
            return null;
        });
        for (int i = 0; i < count; i++) {
            byte[] got = c.server().recv(4096);
            assertArrayEquals(numbered(i), got, "message #" + i + " of " + count);
        }
        assertEquals(0, c.server().recv(4096).length, "end of stream after the last message");
        sender.get(LIMIT);
    }

    @Contract(id = "message.large-message-goes-whole",
            statement = "A message of up to half the send buffer (SO_SNDBUF, capped at 100 000 bytes) is sent by one send "
                    + "and received by one recv, whole.")
    void largeMessageGoesWhole(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        int size = Math.min(100_000, sendBuffer(t, c.client()) / 2);
        byte[] big = TransferContract.random(size, 7);
        TckTarget.Background<Integer> sender = t.background("send of " + size + " bytes", () -> c.client().send(big));
        byte[] got = c.server().recv(size + 1);
        assertEquals(size, sender.get(LIMIT), "send of one " + size + "-byte message must send it all");
        assertEquals(size, got.length, "one recv(" + (size + 1) + ") of a " + size + "-byte message");
        assertArrayEquals(big, got, "bytes of the large message");
    }

    @Contract(id = "message.larger-than-send-buffer-raises-emsgsize",
            statement = "A message longer than the send buffer (SO_SNDBUF) is refused whole with EMSGSIZE, never split; "
                    + "the connection stays usable.")
    void largerThanSendBufferRaisesEmsgsize(TckTarget t) throws Exception {
        TckTarget.Connection c = limited(t);
        int size = sendBuffer(t, c.client()) + 1;
        assertErrno(Errno.EMSGSIZE, "send of a " + size + "-byte message with SO_SNDBUF " + (size - 1),
                () -> c.client().send(new byte[size]));
        assertErrno(Errno.EMSGSIZE, "sendAll of a " + size + "-byte message", () -> {
            c.client().sendAll(new byte[size]);
            return null;
        });
        c.client().send("fine".getBytes());
        assertArrayEquals("fine".getBytes(), c.server().recv(100), "the first message to arrive after the refused ones");
    }

    private static TckTarget.Connection limited(TckTarget t) throws SocketError {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
        return c;
    }

    private static int sendBuffer(TckTarget t, Socket s) throws Exception {
        return t.optional("SO_SNDBUF", () -> s.getOption(StandardSocketOptions.SO_SNDBUF));
    }

    /** {@code size} bytes that spell {@code word} over and over. */
    private static byte[] bytes(String word, int size) {
        byte[] out = new byte[size];
        byte[] w = word.getBytes();
        for (int i = 0; i < size; i++) {
            out[i] = w[i % w.length];
        }
        return out;
    }

    /** Message {@code i}: {@code i * 7 % 300} bytes (0 for i = 0) that carry i, so a swap or merge shows. */
    private static byte[] numbered(int i) {
        byte[] out = new byte[i * 7 % 300];
        for (int k = 0; k < out.length; k++) {
            out[k] = (byte) (i + k);
        }
        return out;
    }
}
