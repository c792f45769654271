package io.jsock.tck.contracts;

import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.nio.ByteBuffer;
import java.time.Duration;

import static io.jsock.tck.TckTarget.assertErrno;
import static io.jsock.tck.contracts.DatagramSupport.LIMIT;
import static io.jsock.tck.contracts.DatagramSupport.PROMPT;
import static io.jsock.tck.contracts.DatagramSupport.boundPair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threads and datagram sockets: close from another thread, interrupts, one reader and one writer. */
@ContractGroup(name = "concurrency", appliesTo = Semantics.DATAGRAM)
public final class DatagramConcurrencyContract {

    @Contract(id = "datagram.concurrency.close-ends-blocked-recvfrom",
            statement = "close() from another thread ends a recvfrom blocked on the datagram socket promptly with EBADF.")
    void closeEndsBlockedRecvfrom(TckTarget t) throws Exception {
        Socket s = t.bound();
        TckTarget.Background<Datagram> reader = t.background("recvfrom blocked", () -> s.recvFrom(100));
        reader.awaitInside(s, "recvFrom", LIMIT);
        assertEndsWithEbadf(reader, s, "recvfrom");
    }

    @Contract(id = "datagram.concurrency.close-ends-recvfrom-in-timeout-mode",
            statement = "close() from another thread ends a recvfrom waiting in timeout mode promptly with EBADF, not with a timeout.")
    void closeEndsRecvfromInTimeoutMode(TckTarget t) throws Exception {
        Socket s = t.bound();
        s.setTimeout(Duration.ofSeconds(30));
        TckTarget.Background<Datagram> reader = t.background("recvfrom with a 30 s timeout", () -> s.recvFrom(100));
        reader.awaitInside(s, "recvFrom", LIMIT);
        assertEndsWithEbadf(reader, s, "recvfrom in timeout mode");
    }

    @Contract(id = "datagram.concurrency.interrupt-closes-the-socket",
            statement = "Interrupting a thread blocked in recvfrom makes the call raise EINTR, closes the socket (later calls raise "
                    + "EBADF) and leaves the thread's interrupt status set.")
    void interruptClosesTheSocket(TckTarget t) throws Exception {
        for (Duration mode : new Duration[] {null, Duration.ofSeconds(30)}) {
            Socket s = t.bound();
            s.setTimeout(mode);
            boolean[] stillInterrupted = new boolean[1];
            TckTarget.Background<Datagram> reader = t.background("recvfrom in mode " + mode, () -> {
                try {
                    return s.recvFrom(100);
                } finally {
                    stillInterrupted[0] = Thread.interrupted();
                }
            });
            reader.awaitInside(s, "recvFrom", LIMIT);
            reader.thread().interrupt();
            Throwable failure = reader.failure(PROMPT);
            String what = "recvfrom interrupted in mode " + (mode == null ? "blocking" : "timeout " + mode);
            assertTrue(failure instanceof SocketError, what + " must raise SocketError, threw " + failure);
            assertEquals(Errno.EINTR, ((SocketError) failure).errno(), "errno of " + what + ": " + failure);
            assertTrue(stillInterrupted[0], "the interrupt status after " + what + " must stay set");
            assertTrue(s.isClosed(), "isClosed() after " + what);
            assertErrno(Errno.EBADF, "recvfrom on the socket after " + what, () -> s.recvFrom(1));
        }
    }

    @Contract(id = "datagram.concurrency.nonblocking-call-ignores-interrupt-status",
            statement = "A non-blocking recvfrom made with the thread's interrupt status set raises EAGAIN and leaves the socket open; "
                    + "a blocking one raises EINTR and closes it.")
    void nonblockingCallIgnoresInterruptStatus(TckTarget t) throws Exception {
        Socket nonBlocking = t.bound();
        nonBlocking.setBlocking(false);
        Socket blocking = t.bound();
        Thread.currentThread().interrupt();
        try {
            assertErrno(Errno.EAGAIN, "non-blocking recvfrom with the interrupt status set", () -> nonBlocking.recvFrom(1));
            assertTrue(!nonBlocking.isClosed(), "a non-blocking recvfrom with the interrupt status set must not close the socket");
            assertErrno(Errno.EINTR, "blocking recvfrom with the interrupt status set", () -> blocking.recvFrom(1));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status after the EINTR must stay set");
        } finally {
            Thread.interrupted();
        }
        assertTrue(blocking.isClosed(), "isClosed() of a socket called in blocking mode with the interrupt status set");
    }

    @Contract(id = "datagram.concurrency.one-reader-one-writer",
            statement = "One thread may send while another receives on the same datagram socket, and every datagram arrives.")
    void oneReaderOneWriter(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        Socket both = p[0];
        Socket echo = p[1];
        int count = 100;
        TckTarget.Background<Integer> echoer = t.background("echo", () -> {
            for (int i = 0; i < count; i++) {
                Datagram d = echo.recvFrom(100);
                echo.sendTo(d.data(), d.address());
            }
            return count;
        });
        TckTarget.Background<Integer> reader = t.background("reader", () -> {
            boolean[] seen = new boolean[count];
            ByteBuffer buf = ByteBuffer.allocate(100);
            for (int i = 0; i < count; i++) {
                buf.clear();
                both.recvFromInto(buf);
                seen[buf.getInt(0)] = true;
            }
            int n = 0;
            for (boolean b : seen) {
                n += b ? 1 : 0;
            }
            return n;
        });
        for (int i = 0; i < count; i++) {
            both.sendTo(ByteBuffer.allocate(4).putInt(0, i), echo.getSockName());
        }
        assertEquals(count, (int) echoer.get(LIMIT), "datagrams the echo thread got");
        assertEquals(count, (int) reader.get(LIMIT), "distinct datagrams the reading thread got while another thread sent");
    }

    private static void assertEndsWithEbadf(TckTarget.Background<?> call, Socket s, String what) {
        long start = System.nanoTime();
        s.close();
        Throwable failure = call.failure(PROMPT);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(failure instanceof SocketError, what + " ended by close() from another thread must raise SocketError, threw " + failure);
        assertEquals(Errno.EBADF, ((SocketError) failure).errno(), "errno of " + what + " ended by close() from another thread: " + failure);
        assertTrue(ms < PROMPT.toMillis(), what + " took " + ms + " ms to end after close()");
    }
}
