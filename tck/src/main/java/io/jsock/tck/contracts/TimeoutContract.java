package io.jsock.tck.contracts;

import io.jsock.Shutdown;
import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three modes of Python's sockets — blocking, timeout, non-blocking — and switching between them. */
@ContractGroup(name = "timeouts", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class TimeoutContract {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** How late a timeout may fire on a loaded 2-core machine. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Contract(id = "stream.timeout.default-is-blocking",
            statement = "A new socket is in blocking mode: gettimeout() is None and getblocking() is true.")
    void defaultIsBlocking(TckTarget t) throws Exception {
        Socket s = t.open();
        assertNull(s.getTimeout(), "getTimeout() of a new socket");
        assertTrue(s.getBlocking(), "getBlocking() of a new socket");
    }

    @Contract(id = "stream.timeout.modes-read-back",
            statement = "settimeout(d) reads back d and blocking, setblocking(false) equals settimeout(0), setblocking(true) equals settimeout(None).")
    void modesReadBack(TckTarget t) throws Exception {
        Socket s = t.open();
        s.setTimeout(Duration.ofMillis(1234));
        assertEquals(Duration.ofMillis(1234), s.getTimeout(), "getTimeout() after setTimeout(1234 ms)");
        assertTrue(s.getBlocking(), "getBlocking() in timeout mode");
        s.setBlocking(false);
        assertEquals(Duration.ZERO, s.getTimeout(), "getTimeout() after setBlocking(false)");
        assertFalse(s.getBlocking(), "getBlocking() after setBlocking(false)");
        s.setBlocking(true);
        assertNull(s.getTimeout(), "getTimeout() after setBlocking(true)");
        assertTrue(s.getBlocking(), "getBlocking() after setBlocking(true)");
        s.setTimeout(Duration.ZERO);
        assertFalse(s.getBlocking(), "getBlocking() after setTimeout(ZERO)");
        s.setTimeout(null);
        assertTrue(s.getBlocking(), "getBlocking() after setTimeout(null)");
        assertNull(s.getTimeout(), "getTimeout() after setTimeout(null)");
    }

    @Contract(id = "stream.timeout.negative-timeout-raises-iae",
            statement = "A negative timeout is a caller's mistake: IllegalArgumentException, and the mode is unchanged.")
    void negativeTimeoutRaisesIae(TckTarget t) throws Exception {
        Socket s = t.open();
        s.setTimeout(Duration.ofSeconds(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setTimeout(Duration.ofMillis(-1)), "setTimeout(-1 ms)");
        assertTrue(e.getMessage() != null && e.getMessage().contains("timeout"), "message of setTimeout(-1 ms) must name the timeout: " + e.getMessage());
        assertEquals(Duration.ofSeconds(2), s.getTimeout(), "getTimeout() after a rejected negative timeout");
    }

    @Contract(id = "stream.timeout.recv-raises-after-timeout",
            statement = "recv in timeout mode with nothing to read raises socket.timeout (ETIMEDOUT) after about the timeout.")
    void recvRaisesAfterTimeout(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.server().setTimeout(TIMEOUT);
        assertTimesOut("recv on an idle connection", () -> c.server().recv(16));
    }

    @Contract(id = "stream.timeout.accept-raises-after-timeout",
            statement = "accept in timeout mode with no client raises socket.timeout (ETIMEDOUT) after about the timeout.")
    void acceptRaisesAfterTimeout(TckTarget t) throws Exception {
        Socket listener = t.listener();
        listener.setTimeout(TIMEOUT);
        assertTimesOut("accept with no client", listener::accept);
    }

    @Contract(id = "stream.timeout.connect-raises-after-timeout",
            statement = "connect in timeout mode to a listener whose backlog is full raises socket.timeout (ETIMEDOUT) after about the timeout.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void connectRaisesAfterTimeout(TckTarget t) throws Exception {
        Socket listener = t.open();
        listener.bind(t.bindAddress());
        listener.listen(0);
        SocketAddress target = listener.getSockName();
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket s = t.open();
            s.setTimeout(TIMEOUT);
            long start = System.nanoTime();
            try {
                s.connect(target);
                queued.add(s);
            } catch (SocketTimeoutError e) {
                long elapsed = System.nanoTime() - start;
                checkElapsed("connect to a listener with a full backlog", elapsed, e);
                return;
            }
        }
        throw t.skip("The backlog of a listen(0) socket took " + queued.size() + " connections without filling, so no connect could time out.");
    }

    @Contract(id = "stream.timeout.send-raises-when-peer-does-not-read",
            statement = "When the peer does not read, sendall and send in timeout mode raise socket.timeout after about the timeout "
                    + "(sendall's covers the whole call), send in non-blocking mode raises EAGAIN, and the connection still works once the peer reads.",
            semantics = Semantics.STREAM)
    void sendRaisesWhenPeerDoesNotRead(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.client();
        s.setTimeout(TIMEOUT);
        byte[] flood = new byte[16 << 20];
        assertTimesOut("sendAll of 16 MiB to a peer that does not read", () -> ErrorContract.call(() -> s.sendAll(flood)));
        assertTimesOut("send of 64 KiB with the send buffer full", () -> s.send(new byte[64 * 1024]));
        s.setBlocking(false);
        byte[] chunk = new byte[64 * 1024];
        boolean eagain = false;
        for (int i = 0; i < 1024 && !eagain; i++) {
            try {
                t.within("non-blocking send", SLACK, () -> s.send(chunk));
            } catch (SocketError e) {
                assertEquals(Errno.EAGAIN, e.errno(), "errno of a non-blocking send with the send buffer full: " + e);
                eagain = true;
            }
        }
        assertTrue(eagain, "a non-blocking send kept succeeding for 64 MiB to a peer that does not read");
        s.setTimeout(LIMIT);
        TckTarget.Background<Void> drain = t.background("recv on the server until the marker byte", () -> {
            c.server().setTimeout(LIMIT);
            for (long got = 0; got < (200L << 20); ) {
                byte[] b = c.server().recv(64 * 1024);
                if (b.length == 0) {
                    throw new AssertionError("end of stream on the server before the marker byte, after " + got + " bytes");
                }
                got += b.length;
                if (b[b.length - 1] == 0x7f) {
                    return null;
                }
            }
            throw new AssertionError("no marker byte in 200 MiB on the server");
        });
        s.sendAll(new byte[] {0x7f});
        drain.get(LIMIT);
    }

    @Contract(id = "stream.timeout.socket-usable-after-timeout",
            statement = "A socket whose recv timed out stays connected: data sent afterwards arrives, in either mode.")
    void socketUsableAfterTimeout(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.server().setTimeout(TIMEOUT);
        assertThrows(SocketTimeoutError.class, () -> c.server().recv(16), "recv on an idle connection in timeout mode");
        c.client().sendAll(new byte[] {1, 2});
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {1, 2}, TransferContract.recvExactly(c.server(), 2, "the server after its timeout"), "bytes after a timed-out recv");
        c.server().sendAll(new byte[] {3});
        c.client().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {3}, c.client().recv(1), "recv on the client from a server whose recv had timed out");
        Socket listener = c.listener();
        listener.setTimeout(TIMEOUT);
        assertThrows(SocketTimeoutError.class, listener::accept, "accept with no client in timeout mode");
        Socket late = t.open();
        late.connect(listener.getSockName());
        listener.setTimeout(LIMIT);
        t.track(listener.accept());
    }

    @Contract(id = "stream.timeout.non-blocking-calls-raise-eagain",
            statement = "In non-blocking mode recv with nothing to read and accept with no client raise EAGAIN at once.")
    void nonBlockingCallsRaiseEagain(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.server().setBlocking(false);
        long start = System.nanoTime();
        assertErrno(Errno.EAGAIN, "non-blocking recv with nothing to read",
                () -> t.within("non-blocking recv", SLACK, () -> c.server().recv(16)));
        assertErrno(Errno.EAGAIN, "non-blocking recvInto with nothing to read",
                () -> t.within("non-blocking recvInto", SLACK, () -> c.server().recvInto(java.nio.ByteBuffer.allocate(4))));
        c.listener().setBlocking(false);
        assertErrno(Errno.EAGAIN, "non-blocking accept with no client",
                () -> t.within("non-blocking accept", SLACK, c.listener()::accept));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < SLACK.toNanos(), "non-blocking calls must not wait; three took " + elapsed / 1_000_000 + " ms");
    }

    @Contract(id = "stream.timeout.non-blocking-connect-raises-einprogress",
            statement = "A non-blocking connect raises EINPROGRESS (or connects at once) and completes in the background; connect_ex then reports 0 or EISCONN.")
    void nonBlockingConnectRaisesEinprogress(TckTarget t) throws Exception {
        Socket listener = t.listener();
        Socket s = t.open();
        s.setBlocking(false);
        SocketAddress target = listener.getSockName();
        int first = s.connectEx(target);
        assertTrue(first == 0 || first == Errno.EINPROGRESS.code(), "non-blocking connectEx to a listener must return 0 or EINPROGRESS (115), got " + first);
        int[] last = {first};
        if (first != 0) {
            TckTarget.await("the non-blocking connect to " + target + " to complete", LIMIT, () -> {
                last[0] = s.connectEx(target);
                if (last[0] != Errno.EINPROGRESS.code() && last[0] != Errno.EALREADY.code()) {
                    return true;
                }
                return false;
            });
            assertTrue(last[0] == 0 || last[0] == Errno.EISCONN.code(), "connectEx after the non-blocking connect ended must return 0 or EISCONN (106), got " + last[0]);
        }
        assertEquals(Errno.EISCONN.code(), s.connectEx(target), "connectEx once the non-blocking connect completed");
        s.setBlocking(true);
        listener.setTimeout(LIMIT);
        Socket server = t.track(listener.accept());
        s.sendAll(new byte[] {11});
        server.setTimeout(LIMIT);
        assertArrayEquals(new byte[] {11}, server.recv(1), "recv of a byte sent over a connection made non-blocking");
    }

    @Contract(id = "stream.timeout.mode-switches-keep-data",
            statement = "Switching a live connection between blocking, timeout and non-blocking modes loses and duplicates no data.")
    void modeSwitchesKeepData(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket r = c.server();
        byte[] expected = new byte[] {1, 2, 3, 4, 5, 6};
        byte[] got = new byte[expected.length];
        int off = 0;
        for (int round = 0; round < 3; round++) {
            r.setBlocking(false);
            assertErrno(Errno.EAGAIN, "non-blocking recv on an idle connection, round " + round,
                    () -> t.within("non-blocking recv", SLACK, () -> r.recv(1)));
            c.client().sendAll(new byte[] {expected[off]});
            c.client().sendAll(new byte[] {expected[off + 1]});
            byte[][] chunk = new byte[1][];
            TckTarget.await("bytes to be readable in non-blocking mode, round " + round, LIMIT, () -> {
                try {
                    chunk[0] = t.within("non-blocking recv", SLACK, () -> r.recv(1));
                    return true;
                } catch (SocketError e) {
                    if (e.errno() != Errno.EAGAIN) {
                        throw new AssertionError("non-blocking recv with data on its way: " + e, e);
                    }
                    return false;
                } catch (Exception e) {
                    throw new AssertionError("non-blocking recv with data on its way: " + e, e);
                }
            });
            assertEquals(1, chunk[0].length, "non-blocking recv(1) with data waiting, round " + round);
            got[off++] = chunk[0][0];
            // the second byte was sent before: a blocking recv returns it without waiting for more
            r.setTimeout(round == 1 ? null : LIMIT);
            byte[] second = r.recv(1);
            assertEquals(1, second.length, "recv(1) in " + (round == 1 ? "blocking" : "timeout") + " mode after non-blocking mode, round " + round);
            got[off++] = second[0];
            r.setBlocking(true);
        }
        assertArrayEquals(expected, got, "bytes received across mode switches");
        r.setTimeout(TIMEOUT);
        assertThrows(SocketTimeoutError.class, () -> r.recv(1), "recv after the mode switches must find nothing left over");
    }

    private static void assertTimesOut(String subject, TckTarget.SocketCall<?> call) {
        long start = System.nanoTime();
        SocketError e = assertErrno(Errno.ETIMEDOUT, subject + " with a " + TIMEOUT.toMillis() + " ms timeout", call);
        long elapsed = System.nanoTime() - start;
        checkElapsed(subject, elapsed, e);
    }

    private static void checkElapsed(String subject, long elapsedNanos, SocketError e) {
        assertTrue(e instanceof SocketTimeoutError, subject + " must raise SocketTimeoutError (socket.timeout), raised " + e);
        long ms = elapsedNanos / 1_000_000;
        assertTrue(elapsedNanos >= TIMEOUT.toNanos() * 8 / 10, subject + " timed out after " + ms + " ms, before 80% of its " + TIMEOUT.toMillis() + " ms timeout");
        assertTrue(elapsedNanos < TIMEOUT.plus(SLACK).toNanos(), subject + " timed out after " + ms + " ms, far beyond its " + TIMEOUT.toMillis() + " ms timeout");
        assertEquals(Errno.ETIMEDOUT, e.errno(), "errno of " + subject + "'s timeout: " + e);
    }

    @Contract(id = "stream.timeout.huge-timeouts-saturate",
            statement = "A timeout too long to count in nanoseconds (300 years, Long.MAX_VALUE seconds) is a timeout like any: "
                    + "it reads back as set, a recv gets what is queued, and a close from another thread ends a waiting recv.")
    void hugeTimeoutsSaturate(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        for (Duration huge : List.of(Duration.ofDays(365L * 300), Duration.ofSeconds(Long.MAX_VALUE))) {
            s.setTimeout(huge);
            assertEquals(huge, s.getTimeout(), "getTimeout() after setTimeout(" + huge + ")");
            c.client().sendAll(new byte[] {7});
            assertArrayEquals(new byte[] {7}, s.recv(16), "recv with a timeout of " + huge + " of a queued byte");
        }
        TckTarget.Background<byte[]> reader = t.background("recv with a huge timeout", () -> s.recv(16));
        reader.awaitInside(s, "recv", LIMIT);
        s.close();
        Throwable failure = reader.failure(LIMIT);
        assertTrue(failure instanceof SocketError && ((SocketError) failure).errno() == Errno.EBADF,
                "a recv with a huge timeout ended by close() must raise EBADF, threw " + failure);
    }

    @Contract(id = "stream.timeout.shutdown-rd-wakes-a-blocked-recv",
            statement = "shutdown(SHUT_RD) from another thread ends a recv blocked on the socket with the end of stream, "
                    + "as on Linux.")
    void shutdownRdWakesABlockedRecv(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        TckTarget.Background<byte[]> reader = t.background("recv blocked on the server", () -> s.recv(16));
        reader.awaitInside(s, "recv", LIMIT);
        s.shutdown(Shutdown.SHUT_RD);
        assertEquals(0, reader.get(LIMIT).length, "the blocked recv after shutdown(SHUT_RD) must return the end of stream");
    }
}
