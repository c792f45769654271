package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threads and connection-oriented sockets: close from another thread, one reader and one writer, interrupts. */
@ContractGroup(name = "concurrency", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ConcurrencyContract {
    /** How promptly a blocked call must end after close() or an interrupt. */
    private static final Duration PROMPT = Duration.ofSeconds(2);
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Contract(id = "stream.concurrency.close-ends-blocked-recv",
            statement = "close() from another thread ends a recv blocked on the socket promptly with EBADF.")
    void closeEndsBlockedRecv(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        TckTarget.Background<byte[]> reader = t.background("recv blocked on the server", () -> s.recv(16));
        reader.awaitInside(s, "recv", LIMIT);
        assertEndsWithEbadf(reader, s, "recv");
    }

    @Contract(id = "stream.concurrency.close-ends-blocked-accept",
            statement = "close() from another thread ends an accept blocked on the socket promptly with EBADF.")
    void closeEndsBlockedAccept(TckTarget t) throws Exception {
        Socket listener = t.listener();
        TckTarget.Background<?> acceptor = t.background("accept blocked on the listener", listener::accept);
        acceptor.awaitInside(listener, "accept", LIMIT);
        assertEndsWithEbadf(acceptor, listener, "accept");
    }

    @Contract(id = "stream.concurrency.close-ends-blocked-recv-in-timeout-mode",
            statement = "close() from another thread ends a recv waiting in timeout mode promptly with EBADF, not with a timeout.")
    void closeEndsBlockedRecvInTimeoutMode(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        s.setTimeout(Duration.ofSeconds(30));
        TckTarget.Background<byte[]> reader = t.background("recv with a 30 s timeout on the server", () -> s.recv(16));
        reader.awaitInside(s, "recv", LIMIT);
        assertEndsWithEbadf(reader, s, "recv in timeout mode");
    }

    @Contract(id = "stream.concurrency.one-reader-one-writer-both-ways",
            statement = "One thread may send while another receives on the same socket, in both directions at once, and every byte arrives.",
            semantics = Semantics.STREAM)
    void oneReaderOneWriterBothWays(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        TransferContract.limit(c);
        byte[] up = TransferContract.random(1 << 20, 5);
        byte[] down = TransferContract.random(1 << 20, 6);
        TckTarget.Background<Void> clientWriter = t.background("sendAll on the client", () -> sendAndShut(c.client(), up));
        TckTarget.Background<Void> serverWriter = t.background("sendAll on the server", () -> sendAndShut(c.server(), down));
        TckTarget.Background<byte[]> clientReader = t.background("recv on the client", () -> readAll(c.client()));
        TckTarget.Background<byte[]> serverReader = t.background("recv on the server", () -> readAll(c.server()));
        clientWriter.get(LIMIT);
        serverWriter.get(LIMIT);
        assertTrue(Arrays.equals(up, serverReader.get(LIMIT)), "bytes the server's reader got of the client's writer's 1 MiB");
        assertTrue(Arrays.equals(down, clientReader.get(LIMIT)), "bytes the client's reader got of the server's writer's 1 MiB");
    }

    @Contract(id = "stream.concurrency.send-proceeds-while-recv-blocks",
            statement = "A send on a socket completes promptly while another thread is blocked in recv on the same socket.")
    void sendProceedsWhileRecvBlocks(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
        TckTarget.Background<byte[]> reader = t.background("recv blocked on the client", () -> c.client().recv(16));
        reader.awaitInside(c.client(), "recv", LIMIT);
        TckTarget.Background<Void> writer = t.background("sendAll on the client while its recv blocks", () -> {
            c.client().sendAll(new byte[] {1, 2, 3});
            return null;
        });
        writer.get(PROMPT);
        assertTrue(Arrays.equals(new byte[] {1, 2, 3}, TransferContract.recvExactly(c.server(), 3, "the server")),
                "bytes the server got from the client's send during its blocked recv");
        c.server().sendAll(new byte[] {4});
        assertTrue(Arrays.equals(new byte[] {4}, reader.get(LIMIT)), "bytes the client's blocked recv got");
    }

    @Contract(id = "stream.concurrency.interrupt-closes-the-socket",
            statement = "Interrupting a thread blocked in recv makes the call raise EINTR, closes the socket (later calls raise EBADF) "
                    + "and leaves the thread's interrupt status set.")
    void interruptClosesTheSocket(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        boolean[] stillInterrupted = new boolean[1];
        TckTarget.Background<byte[]> reader = t.background("recv blocked on the server", () -> {
            try {
                return s.recv(16);
            } finally {
                stillInterrupted[0] = Thread.interrupted(); // reads and clears it; the thread ends here
            }
        });
        reader.awaitInside(s, "recv", LIMIT);
        long start = System.nanoTime();
        reader.thread().interrupt();
        Throwable failure = reader.failure(PROMPT);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(failure instanceof SocketError, "recv interrupted while blocked must raise SocketError, threw " + failure);
        assertEquals(Errno.EINTR, ((SocketError) failure).errno(), "errno of the interrupted recv: " + failure);
        assertTrue(ms < PROMPT.toMillis(), "the interrupted recv took " + ms + " ms to end");
        assertTrue(stillInterrupted[0], "the interrupt status of a thread whose recv the interrupt ended must stay set");
        assertTrue(s.isClosed(), "isClosed() of a socket whose blocked recv was interrupted");
        assertErrno(Errno.EBADF, "recv on a socket closed by an interrupt", () -> s.recv(1));
        assertEquals(-1, s.fileno(), "fileno() of a socket closed by an interrupt");
        c.server().close();
        c.client().setTimeout(LIMIT);
        assertEquals(0, c.client().recv(1).length, "recv on the client after the server was closed by an interrupt");
    }

    @Contract(id = "stream.concurrency.call-with-interrupt-status-set-closes-the-socket",
            statement = "A blocking call made with the thread's interrupt status set raises EINTR and closes the socket; "
                    + "a non-blocking call ignores the status.")
    void callWithInterruptStatusSetClosesTheSocket(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket nonBlocking = c.client();
        nonBlocking.setBlocking(false);
        Socket blocking = c.server();
        Thread.currentThread().interrupt();
        try {
            assertErrno(Errno.EAGAIN, "non-blocking recv with the interrupt status set", () -> nonBlocking.recv(1));
            assertTrue(!nonBlocking.isClosed(), "a non-blocking recv with the interrupt status set must not close the socket");
            assertErrno(Errno.EINTR, "blocking recv with the interrupt status set", () -> blocking.recv(1));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status after the EINTR must stay set");
        } finally {
            Thread.interrupted();
        }
        assertTrue(blocking.isClosed(), "isClosed() of a socket called in blocking mode with the interrupt status set");
        assertErrno(Errno.EBADF, "recv on a socket closed by a call with the interrupt status set", () -> blocking.recv(1));
        nonBlocking.setTimeout(LIMIT);
        assertEquals(0, nonBlocking.recv(1).length, "recv on the client after the server was closed by the interrupt status");
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

    private static Void sendAndShut(Socket s, byte[] data) throws SocketError {
        for (int off = 0; off < data.length; off += 8192) {
            s.sendAll(Arrays.copyOfRange(data, off, Math.min(data.length, off + 8192)));
        }
        s.shutdown(Shutdown.SHUT_WR);
        return null;
    }

    private static byte[] readAll(Socket s) throws SocketError {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int calls = 0; calls < 10_000_000; calls++) {
            byte[] chunk = s.recv(7000);
            if (chunk.length == 0) {
                return out.toByteArray();
            }
            out.write(chunk, 0, chunk.length);
        }
        throw new AssertionError("no end of stream after 10 million recv calls");
    }
}
