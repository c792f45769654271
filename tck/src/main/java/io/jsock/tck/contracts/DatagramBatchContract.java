package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jsock.tck.TckTarget.assertErrno;
import static io.jsock.tck.contracts.DatagramSupport.LIMIT;
import static io.jsock.tck.contracts.DatagramSupport.PROMPT;
import static io.jsock.tck.contracts.DatagramSupport.boundPair;
import static io.jsock.tck.contracts.DatagramSupport.connected;
import static io.jsock.tck.contracts.DatagramSupport.random;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sendMany and recvMany: batches of datagrams in one sendmmsg(2) or recvmmsg(2). */
@ContractGroup(name = "batches", appliesTo = Semantics.DATAGRAM)
public final class DatagramBatchContract {

    @Contract(id = "datagram.batches.order-boundaries-and-senders-kept",
            statement = "sendMany sends each datagram of the list as one datagram to its address and returns how many went; "
                    + "recvMany returns them in the order sent, each whole and with its sender.")
    void orderBoundariesAndSendersKept(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        SocketAddress to = p[1].getSockName();
        byte[][] payloads = {text("first"), new byte[0], random(1000, 1), text("x"), random(3000, 2), text("last")};
        List<Datagram> batch = new ArrayList<>();
        for (byte[] d : payloads) {
            batch.add(new Datagram(d, to));
        }
        assertEquals(payloads.length, (int) t.optional("sendMany", () -> p[0].sendMany(batch)), "sendMany of 6 datagrams returns");
        List<Datagram> got = t.optional("recvMany", () -> receive(p[1], payloads.length, 4096));
        SocketAddress from = p[0].getSockName();
        for (int i = 0; i < payloads.length; i++) {
            assertArrayEquals(payloads[i], got.get(i).data(), "bytes of datagram " + i + " by recvMany");
            assertEquals(from, got.get(i).address(), "sender of datagram " + i + " by recvMany");
        }
    }

    @Contract(id = "datagram.batches.equal-sized-runs-stay-separate-datagrams",
            statement = "runs of equal-sized datagrams in one sendMany (the kind a kernel may segment in one pass, UDP_SEGMENT), "
                    + "a shorter one ending a run, empty ones and runs to two addresses, arrive each as the datagram it was, in order.")
    void equalSizedRunsStaySeparateDatagrams(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        Socket other = t.bound();
        other.setTimeout(p[1].getTimeout());
        List<Datagram> batch = new ArrayList<>();
        int[][] runs = {{70, 100}, {1, 40}, {3, 0}, {64, 1000}, {5, 1000}, {2, 7}, {20, 512}};
        int n = 0;
        for (int r = 0; r < runs.length; r++) {
            SocketAddress to = r == 4 ? other.getSockName() : p[1].getSockName(); // one run goes elsewhere, splitting another
            for (int i = 0; i < runs[r][0]; i++) {
                byte[] d = random(runs[r][1], 1000 + n);
                if (d.length >= 2) {
                    d[0] = (byte) n;
                    d[1] = (byte) (n >> 8); // its number, so a merged or cut datagram shows which
                }
                batch.add(new Datagram(d, to));
                n++;
            }
        }
        t.optional("SO_RCVBUF", () -> {
            p[1].setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            return null;
        });
        List<Datagram> toFirst = new ArrayList<>();
        List<Datagram> toOther = new ArrayList<>();
        for (Datagram d : batch) {
            (d.address().equals(other.getSockName()) ? toOther : toFirst).add(d);
        }
        // received while they are sent: AF_UNIX queues few datagrams (net.unix.max_dgram_qlen) before a send waits
        TckTarget.Background<List<Datagram>> first = t.background("recvMany", () -> receive(p[1], toFirst.size(), 4096));
        TckTarget.Background<List<Datagram>> second = t.background("recvMany", () -> receive(other, toOther.size(), 4096));
        int sent = 0;
        for (int calls = 0; sent < batch.size() && calls < batch.size(); calls++) {
            int from = sent;
            sent += t.optional("sendMany", () -> p[0].sendMany(batch.subList(from, batch.size())));
        }
        assertEquals(batch.size(), sent, "datagrams sendMany sent, each call at least one");
        List<Datagram> got = first.get(DatagramSupport.LIMIT);
        for (int i = 0; i < toFirst.size(); i++) {
            assertArrayEquals(toFirst.get(i).data(), got.get(i).data(), "datagram " + i + " of " + toFirst.size() + " to the first socket");
        }
        List<Datagram> gotOther = second.get(DatagramSupport.LIMIT);
        for (int i = 0; i < toOther.size(); i++) {
            assertArrayEquals(toOther.get(i).data(), gotOther.get(i).data(), "datagram " + i + " to the second socket");
        }
    }

    @Contract(id = "datagram.batches.recv-many-takes-at-most-max-datagrams",
            statement = "recvMany(n, size) returns at most n datagrams, at least one, and n when more are queued "
                    + "(checked exactly where delivery is synchronous, AF_UNIX); the rest stay for the next call, in order.")
    void recvManyTakesAtMostMaxDatagrams(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        SocketAddress to = p[1].getSockName();
        for (int i = 0; i < 5; i++) {
            p[0].sendTo(new byte[] {(byte) i}, to);
        }
        List<Datagram> got = t.optional("recvMany", () -> receiveAtMost(t, p[1], 5, 3, 100));
        assertEquals(5, got.size(), "datagrams over the recvMany(3) calls");
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new byte[] {(byte) i}, got.get(i).data(), "datagram " + i + " over the recvMany(3) calls");
        }
    }

    @Contract(id = "datagram.batches.recv-many-truncates-as-recvfrom",
            statement = "recvMany(n, size) returns at most size bytes of each datagram, the rest of it discarded, as recvfrom does.")
    void recvManyTruncatesAsRecvfrom(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        SocketAddress to = p[1].getSockName();
        p[0].sendTo(text("0123456789"), to);
        p[0].sendTo(text("abcdefghij"), to);
        p[0].sendTo(text("xy"), to);
        List<Datagram> got = t.optional("recvMany", () -> receiveAtMost(t, p[1], 3, 3, 4));
        assertArrayEquals(text("0123"), got.get(0).data(), "the first datagram truncated to 4 bytes");
        assertArrayEquals(text("abcd"), got.get(1).data(), "the second datagram truncated to 4 bytes");
        assertArrayEquals(text("xy"), got.get(2).data(), "the short third datagram");
    }

    @Contract(id = "datagram.batches.huge-bufsize-costs-no-huge-buffer",
            statement = "recvMany with a bufsize far beyond any datagram (1 GiB) returns the queued datagrams whole, one or "
                    + "more, without asking for that much memory per datagram.")
    void hugeBufsizeCostsNoHugeBuffer(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        p[0].sendTo(text("small"), p[1].getSockName());
        p[0].sendTo(text("second"), p[1].getSockName());
        long directBefore = directMemoryUsed();
        List<Datagram> first = t.optional("recvMany", () -> p[1].recvMany(64, 1 << 30));
        assertTrue(!first.isEmpty(), "recvMany(64, 1 GiB) returned nothing");
        assertArrayEquals(text("small"), first.get(0).data(), "the first datagram by recvMany(64, 1 GiB)");
        List<Datagram> all = new ArrayList<>(first);
        while (all.size() < 2) {
            all.addAll(p[1].recvMany(64, 1 << 30));
        }
        assertArrayEquals(text("second"), all.get(1).data(), "the second datagram by recvMany(64, 1 GiB)");
        long grew = directMemoryUsed() - directBefore;
        assertTrue(grew < 64 << 20, "recvMany(64, 1 GiB) of two small datagrams left " + grew + " bytes more direct memory in use");
    }

    /** The JDK's direct buffers in use, where jsock's native memory for a call lives. */
    private static long directMemoryUsed() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    @Contract(id = "datagram.batches.null-address-goes-to-the-connected-peer",
            statement = "A datagram of sendMany without an address goes to the connected peer.")
    void nullAddressGoesToTheConnectedPeer(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        List<Datagram> batch = List.of(new Datagram(text("one"), null), new Datagram(text("two"), null));
        assertEquals(2, (int) t.optional("sendMany", () -> c.client().sendMany(batch)), "sendMany of 2 to the peer returns");
        assertArrayEquals(text("one"), c.server().recv(100), "the first datagram at the peer");
        assertArrayEquals(text("two"), c.server().recv(100), "the second datagram at the peer");
    }

    @Contract(id = "datagram.batches.unconnected-without-address-is-the-kernels-errno",
            statement = "sendMany of a datagram without an address on an unconnected socket raises what send(2) does: "
                    + "EDESTADDRREQ for UDP, ENOTCONN for AF_UNIX.")
    void unconnectedWithoutAddressIsTheKernelsErrno(TckTarget t) throws Exception {
        Socket s = t.bound();
        Errno expected = t.family() == AddressFamily.AF_UNIX ? Errno.ENOTCONN : Errno.EDESTADDRREQ;
        assertErrno(expected, "sendMany without an address on an unconnected socket",
                () -> t.optional("sendMany", () -> s.sendMany(List.of(new Datagram(text("lost"), null)))));
    }

    @Contract(id = "datagram.batches.modes-apply-to-the-first-datagram",
            statement = "recvMany with nothing queued raises EAGAIN in non-blocking mode and a timeout in timeout mode; "
                    + "in blocking mode it waits for the first datagram and returns it.")
    void modesApplyToTheFirstDatagram(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        p[1].setTimeout(Duration.ZERO);
        assertErrno(Errno.EAGAIN, "recvMany in non-blocking mode with nothing queued",
                () -> t.optional("recvMany", () -> p[1].recvMany(8, 100)));
        p[1].setTimeout(Duration.ofMillis(100));
        assertThrows(SocketTimeoutError.class, () -> p[1].recvMany(8, 100), "recvMany with a 100 ms timeout and nothing queued");
        p[1].setTimeout(null);
        TckTarget.Background<List<Datagram>> reader = t.background("recvMany in blocking mode", () -> p[1].recvMany(8, 100));
        reader.awaitInside(p[1], "recvMany", LIMIT);
        p[0].sendTo(text("wake"), p[1].getSockName());
        List<Datagram> got = reader.get(LIMIT);
        assertTrue(!got.isEmpty() && Arrays.equals(text("wake"), got.get(0).data()), "what a blocked recvMany returned: " + got);
    }

    @Contract(id = "datagram.batches.close-ends-a-blocked-recv-many",
            statement = "close() from another thread ends a recvMany blocked in blocking mode promptly with EBADF.")
    void closeEndsABlockedRecvMany(TckTarget t) throws Exception {
        Socket s = t.bound();
        t.optional("recvMany", () -> {
            s.setTimeout(Duration.ZERO);
            try {
                return s.recvMany(1, 1);
            } catch (SocketError e) {
                if (e.errno() == Errno.EAGAIN) {
                    return null;
                }
                throw e;
            } finally {
                s.setTimeout(null);
            }
        });
        TckTarget.Background<List<Datagram>> reader = t.background("recvMany in blocking mode", () -> s.recvMany(8, 100));
        reader.awaitInside(s, "recvMany", LIMIT);
        long start = System.nanoTime();
        s.close();
        Throwable failure = reader.failure(PROMPT);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(failure instanceof SocketError, "recvMany ended by close() must raise SocketError, threw " + failure);
        assertEquals(Errno.EBADF, ((SocketError) failure).errno(), "errno of recvMany ended by close(): " + failure);
        assertTrue(ms < PROMPT.toMillis(), "recvMany took " + ms + " ms to end after close()");
    }

    @Contract(id = "datagram.batches.bad-arguments-refused-before-any-io",
            statement = "recvMany with maxDatagrams below 1 or a negative bufsize is an IllegalArgumentException, a null list or "
                    + "datagram for sendMany a NullPointerException, and an empty list sends nothing and returns 0.")
    void badArgumentsRefusedBeforeAnyIo(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        assertThrows(IllegalArgumentException.class, () -> p[1].recvMany(0, 10), "recvMany(0, 10)");
        assertThrows(IllegalArgumentException.class, () -> p[1].recvMany(1, -1), "recvMany(1, -1)");
        assertThrows(NullPointerException.class, () -> p[0].sendMany(null), "sendMany(null)");
        List<Datagram> withNull = new ArrayList<>();
        withNull.add(new Datagram(text("a"), p[1].getSockName()));
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> p[0].sendMany(withNull), "sendMany of a list holding null");
        assertEquals(0, p[0].sendMany(List.of()), "sendMany of an empty list");
        p[1].setTimeout(Duration.ZERO);
        assertErrno(Errno.EAGAIN, "recvfrom after the refused sendMany calls: nothing was sent", () -> p[1].recvFrom(10));
    }

    /** recvMany until {@code count} datagrams came (each call bounded by the socket's timeout). */
    private static List<Datagram> receive(Socket s, int count, int bufsize) throws SocketError {
        List<Datagram> got = new ArrayList<>();
        while (got.size() < count) {
            got.addAll(s.recvMany(count - got.size(), bufsize));
        }
        return got;
    }

    /**
     * recvMany(max) until {@code count} datagrams came, each call returning at least one and at most
     * {@code max}. AF_UNIX queues a datagram at its receiver within sendto(2), so there the first call
     * must take {@code max}; UDP on loopback may leave delivery to a softirq that runs later.
     */
    private static List<Datagram> receiveAtMost(TckTarget t, Socket s, int count, int max, int bufsize) throws SocketError {
        List<Datagram> got = new ArrayList<>();
        while (got.size() < count) {
            List<Datagram> some = s.recvMany(max, bufsize);
            assertTrue(!some.isEmpty() && some.size() <= max, "recvMany(" + max + ") returned " + some.size() + " datagrams");
            if (got.isEmpty() && t.family() == AddressFamily.AF_UNIX) {
                assertEquals(Math.min(max, count), some.size(), "recvMany(" + max + ") with " + count + " AF_UNIX datagrams queued returns");
            }
            got.addAll(some);
        }
        return got;
    }
}
