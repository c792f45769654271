package io.jsock.tck.contracts;

import java.util.List;
import io.jsock.Shutdown;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.time.Duration;

import static io.jsock.tck.TckTarget.assertErrno;
import static io.jsock.tck.contracts.DatagramSupport.LIMIT;
import static io.jsock.tck.contracts.DatagramSupport.boundPair;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking, timeout and non-blocking modes of datagram sockets, and switching between them. */
@ContractGroup(name = "timeouts", appliesTo = Semantics.DATAGRAM)
public final class DatagramTimeoutContract {
    private static final Duration SHORT = Duration.ofMillis(200);

    @Contract(id = "datagram.timeouts.recvfrom-raises-after-the-timeout",
            statement = "In timeout mode a recvfrom with nothing to receive raises socket.timeout (ETIMEDOUT) after about the timeout, "
                    + "and the socket stays usable.")
    void recvfromRaisesAfterTheTimeout(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        p[1].setTimeout(SHORT);
        long start = System.nanoTime();
        SocketTimeoutError e = assertThrows(SocketTimeoutError.class, () -> p[1].recvFrom(100), "recvfrom with nothing sent");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Errno.ETIMEDOUT, e.errno(), "errno of the timeout");
        assertTrue(ms >= SHORT.toMillis() - 20, "recvfrom gave up after " + ms + " ms, before the 200 ms timeout");
        assertTrue(ms < SHORT.toMillis() + 3000, "recvfrom took " + ms + " ms to time out after 200 ms");
        p[0].sendTo(text("later"), p[1].getSockName());
        p[1].setTimeout(LIMIT);
        assertArrayEquals(text("later"), p[1].recv(100), "recv after a timeout");
    }

    @Contract(id = "datagram.timeouts.nonblocking-recv-raises-eagain",
            statement = "In non-blocking mode recv, recvfrom, recv_into and recvfrom_into with nothing queued raise EAGAIN at once.")
    void nonblockingRecvRaisesEagain(TckTarget t) throws Exception {
        Socket s = boundPair(t)[1];
        s.setBlocking(false);
        assertFalse(s.getBlocking(), "getBlocking() in non-blocking mode");
        assertEquals(Duration.ZERO, s.getTimeout(), "getTimeout() in non-blocking mode");
        assertErrno(Errno.EAGAIN, "non-blocking recv", () -> s.recv(10));
        assertErrno(Errno.EAGAIN, "non-blocking recvfrom", () -> s.recvFrom(10));
        assertErrno(Errno.EAGAIN, "non-blocking recv_into", () -> s.recvInto(java.nio.ByteBuffer.allocate(10)));
        assertErrno(Errno.EAGAIN, "non-blocking recvfrom_into", () -> s.recvFromInto(java.nio.ByteBuffer.allocate(10)));
    }

    @Contract(id = "datagram.timeouts.nonblocking-recv-gets-a-queued-datagram",
            statement = "In non-blocking mode a recvfrom returns a datagram that is already queued.")
    void nonblockingRecvGetsAQueuedDatagram(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        p[1].setBlocking(false);
        p[0].sendTo(text("ready"), p[1].getSockName());
        byte[][] got = new byte[1][];
        TckTarget.await("the datagram in non-blocking mode", LIMIT, () -> {
            try {
                got[0] = p[1].recv(100);
                return true;
            } catch (io.jsock.SocketError e) {
                if (e.errno() != Errno.EAGAIN) {
                    throw new AssertionError("non-blocking recv raised " + e, e);
                }
                return false;
            }
        });
        assertArrayEquals(text("ready"), got[0], "the datagram by a non-blocking recv");
    }

    @Contract(id = "datagram.timeouts.timeout-mode-gets-a-datagram-sent-while-waiting",
            statement = "In timeout mode a recvfrom waiting for a datagram returns it when it arrives.")
    void timeoutModeGetsADatagramSentWhileWaiting(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        p[1].setTimeout(LIMIT);
        TckTarget.Background<io.jsock.Datagram> reader = t.background("recvfrom in timeout mode", () -> p[1].recvFrom(100));
        reader.awaitInside(p[1], "recvFrom", LIMIT);
        p[0].sendTo(text("wake"), p[1].getSockName());
        io.jsock.Datagram d = reader.get(LIMIT);
        assertArrayEquals(text("wake"), d.data(), "the datagram a waiting recvfrom got");
        assertEquals(p[0].getSockName(), d.address(), "its sender");
    }

    @Contract(id = "datagram.timeouts.modes-switch-at-any-time",
            statement = "A datagram socket switches between blocking, timeout and non-blocking mode at any time, and each call obeys "
                    + "the mode it is made in.")
    void modesSwitchAtAnyTime(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        Socket s = p[1];
        s.setTimeout(SHORT);
        assertThrows(SocketTimeoutError.class, () -> s.recv(10), "recv in timeout mode");
        s.setBlocking(false);
        assertErrno(Errno.EAGAIN, "recv in non-blocking mode after timeout mode", () -> s.recv(10));
        s.setBlocking(true);
        assertNull(s.getTimeout(), "getTimeout() after setBlocking(true)");
        assertTrue(s.getBlocking(), "getBlocking() after setBlocking(true)");
        p[0].sendTo(text("blocking"), s.getSockName());
        assertArrayEquals(text("blocking"), s.recv(100), "recv in blocking mode after the other modes");
        s.setTimeout(SHORT);
        assertEquals(SHORT, s.getTimeout(), "getTimeout() after setTimeout");
        assertTrue(s.getBlocking(), "getBlocking() in timeout mode");
        p[0].sendTo(text("timeout"), s.getSockName());
        s.setTimeout(LIMIT);
        assertArrayEquals(text("timeout"), s.recv(100), "recv in timeout mode after blocking mode");
        s.setTimeout(null);
        p[0].sendTo(text("again"), s.getSockName());
        assertArrayEquals(text("again"), s.recv(100), "recv in blocking mode once more");
    }

    @Contract(id = "datagram.timeouts.send-in-every-mode",
            statement = "sendto and send work in blocking, timeout and non-blocking mode.")
    void sendInEveryMode(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        Duration[] modes = {null, LIMIT, Duration.ZERO};
        for (Duration mode : modes) {
            p[0].setTimeout(mode);
            assertEquals(4, p[0].sendTo(text("mode"), p[1].getSockName()), "sendto in mode " + mode);
            assertArrayEquals(text("mode"), p[1].recv(100), "the datagram sent in mode " + mode);
        }
        p[0].connect(p[1].getSockName());
        for (Duration mode : modes) {
            p[0].setTimeout(mode);
            assertEquals(4, p[0].send(text("conn")), "send in mode " + mode);
            assertArrayEquals(text("conn"), p[1].recv(100), "the datagram sent on the connected socket in mode " + mode);
        }
    }

    @Contract(id = "datagram.timeouts.huge-timeouts-saturate",
            statement = "A timeout too long to count in nanoseconds (300 years, Long.MAX_VALUE seconds) is a timeout like any: "
                    + "it reads back as set and a recv gets a queued datagram.")
    void hugeTimeoutsSaturate(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        for (Duration huge : List.of(Duration.ofDays(365L * 300), Duration.ofSeconds(Long.MAX_VALUE))) {
            c.server().setTimeout(huge);
            assertEquals(huge, c.server().getTimeout(), "getTimeout() after setTimeout(" + huge + ")");
            c.client().send(text("x"));
            assertArrayEquals(text("x"), c.server().recv(16), "recv with a timeout of " + huge + " of a queued datagram");
        }
    }

    @Contract(id = "datagram.timeouts.shutdown-rd-wakes-a-blocked-recv",
            statement = "shutdown(SHUT_RD) from another thread ends a recv blocked on a connected datagram socket, which "
                    + "returns an empty datagram, as on Linux.")
    void shutdownRdWakesABlockedRecv(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        TckTarget.Background<byte[]> reader = t.background("recv blocked on a datagram socket", () -> s.recv(16));
        reader.awaitInside(s, "recv", LIMIT);
        s.shutdown(Shutdown.SHUT_RD);
        assertEquals(0, reader.get(LIMIT).length, "the blocked recv after shutdown(SHUT_RD) must return an empty datagram");
    }
}
