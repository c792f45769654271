package io.jsock.unix;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.UnixAddress;
import io.jsock.UnixOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unix provider where jnr-unixsocket is known to be weak (close of a blocked call, datagram
 * connect, timeouts, one reader and one writer at once) and the Linux AF_UNIX answers CPython gives.
 */
class UnixSocketTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private final UnixProvider provider = new UnixProvider();
    private final List<Socket> sockets = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() {
        sockets.forEach(Socket::close);
    }

    private Socket open(SocketType type) throws SocketError {
        Socket s = provider.open(AddressFamily.AF_UNIX, type, 0);
        sockets.add(s);
        return s;
    }

    private Socket bound(SocketType type, String name) throws SocketError {
        Socket s = open(type);
        s.bind(UnixAddress.of(dir.resolve(name)));
        return s;
    }

    @Test
    void closeFromAnotherThreadEndsBlockedDatagramRecvFrom() throws Exception {
        Socket s = bound(SocketType.SOCK_DGRAM, "r");
        CompletableFuture<Datagram> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return s.recvFrom(16);
            } catch (SocketError e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        awaitBlocked(blocked);
        long start = System.nanoTime();
        s.close();
        SocketError e = failure(blocked);
        assertEquals(Errno.EBADF, e.errno(), "errno of a recvfrom ended by close: " + e);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "close must end the call promptly");
    }

    @Test
    void closeFromAnotherThreadEndsBlockedSendOnFullBuffer() throws Exception {
        SocketPair pair = pair(SocketType.SOCK_STREAM);
        Socket writer = pair.first();
        writer.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                writer.sendAll(new byte[64 << 20]); // the peer never reads: this fills every buffer and waits
            } catch (SocketError e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        awaitBlocked(blocked);
        writer.close();
        assertEquals(Errno.EBADF, failure(blocked).errno(), "errno of a send ended by close");
    }

    @Test
    void closeFromAnotherThreadEndsConnectWaitingForFullBacklog() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("busy"));
        Socket listener = open(SocketType.SOCK_STREAM);
        listener.bind(address);
        listener.listen(0);
        open(SocketType.SOCK_STREAM).connect(address);
        Socket waiting = open(SocketType.SOCK_STREAM);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                waiting.connect(address);
            } catch (SocketError e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        awaitBlocked(blocked);
        waiting.close();
        assertEquals(Errno.EBADF, failure(blocked).errno(), "errno of a blocking connect ended by close");
    }

    @Test
    void blockingConnectToFullBacklogCompletesOnceAccepted() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("slow"));
        Socket listener = open(SocketType.SOCK_STREAM);
        listener.bind(address);
        listener.listen(0);
        open(SocketType.SOCK_STREAM).connect(address);
        Socket waiting = open(SocketType.SOCK_STREAM);
        CompletableFuture<Void> connecting = CompletableFuture.runAsync(() -> {
            try {
                waiting.connect(address);
            } catch (SocketError e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        awaitBlocked(connecting);
        sockets.add(listener.accept().socket());
        connecting.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(address, waiting.getPeerName(), "peer of the connect that waited for room");
    }

    @Test
    void connectToFullBacklogWithTimeoutRaisesEagainAsCPython() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("full"));
        Socket listener = open(SocketType.SOCK_STREAM);
        listener.bind(address);
        listener.listen(0);
        open(SocketType.SOCK_STREAM).connect(address);
        Socket late = open(SocketType.SOCK_STREAM);
        late.setTimeout(Duration.ofMillis(200));
        SocketError e = assertThrows(SocketError.class, () -> late.connect(address), "connect to a full backlog with a timeout");
        assertEquals(Errno.EAGAIN, e.errno(), "CPython raises EAGAIN at once for a full AF_UNIX backlog: " + e);
    }

    @Test
    void datagramRecvFromTimesOut() throws Exception {
        Socket s = bound(SocketType.SOCK_DGRAM, "t");
        s.setTimeout(Duration.ofMillis(150));
        long start = System.nanoTime();
        assertThrows(SocketTimeoutError.class, () -> s.recvFrom(16), "recvfrom with nothing to receive");
        long took = System.nanoTime() - start;
        assertTrue(took >= Duration.ofMillis(140).toNanos() && took < Duration.ofSeconds(3).toNanos(), "timed out after " + took / 1_000_000 + " ms");
    }

    @Test
    void interruptClosesBlockedDatagramSocket() throws Exception {
        Socket s = bound(SocketType.SOCK_DGRAM, "i");
        SocketError[] caught = new SocketError[1];
        boolean[] stillInterrupted = new boolean[1];
        Thread reader = new Thread(() -> {
            try {
                s.recv(16);
            } catch (SocketError e) {
                caught[0] = e;
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
            }
        });
        reader.start();
        io.jsock.tck.TckTarget.await("reader blocked", LIMIT, () -> reader.getState() == Thread.State.RUNNABLE);
        reader.interrupt();
        reader.join(LIMIT.toMillis());
        assertEquals(Errno.EINTR, caught[0].errno(), "errno of an interrupted recv: " + caught[0]);
        assertTrue(stillInterrupted[0], "the interrupt status stays set");
        assertTrue(s.isClosed(), "the interrupt closes the socket");
        assertEquals(Errno.EBADF, assertThrows(SocketError.class, () -> s.recv(1)).errno(), "later calls: EBADF");
    }

    @Test
    void oneReaderAndOneWriterAtOnce() throws Exception {
        SocketPair pair = pair(SocketType.SOCK_STREAM);
        Socket a = pair.first();
        Socket b = pair.second();
        a.setTimeout(LIMIT);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return a.recv(16);
            } catch (SocketError e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        awaitBlocked(reader);
        a.sendAll(new byte[] {1, 2, 3}); // a write while a read on the same socket waits (jnr-unixsocket #53)
        b.setTimeout(LIMIT);
        assertArrayEquals(new byte[] {1, 2, 3}, b.recv(16), "the write went through");
        b.sendAll(new byte[] {9});
        assertArrayEquals(new byte[] {9}, reader.get(LIMIT.toSeconds(), TimeUnit.SECONDS), "the waiting read got its byte");
    }

    @Test
    void senderAddressesAndDestinationsAlternate() throws Exception {
        Socket r1 = bound(SocketType.SOCK_DGRAM, "r1");
        Socket r2 = bound(SocketType.SOCK_DGRAM, "r2");
        Socket s1 = bound(SocketType.SOCK_DGRAM, "s1");
        Socket s2 = open(SocketType.SOCK_DGRAM);
        s2.bind(UnixAddress.abstractName("jsock-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        r1.setTimeout(LIMIT);
        r2.setTimeout(LIMIT);
        for (int i = 0; i < 3; i++) {
            s1.sendTo(new byte[] {1}, r1.getSockName());
            s1.sendTo(new byte[] {2}, r2.getSockName());
            s2.sendTo(new byte[] {3}, r1.getSockName());
            Datagram a = r1.recvFrom(4);
            Datagram b = r2.recvFrom(4);
            Datagram c = r1.recvFrom(4);
            assertEquals(s1.getSockName(), a.address(), "first sender");
            assertArrayEquals(new byte[] {1}, a.data());
            assertEquals(s1.getSockName(), b.address(), "first sender to the second receiver");
            assertArrayEquals(new byte[] {2}, b.data());
            assertEquals(s2.getSockName(), c.address(), "abstract sender");
            assertArrayEquals(new byte[] {3}, c.data());
        }
    }

    @Test
    void datagramTruncationAndEmptyDatagramsAsCPython() throws Exception {
        SocketPair pair = pair(SocketType.SOCK_DGRAM);
        pair.second().setTimeout(LIMIT);
        pair.first().send(new byte[] {1, 2, 3, 4, 5, 6});
        pair.first().send(new byte[0]);
        pair.first().send(new byte[] {7});
        assertArrayEquals(new byte[] {1, 2, 3}, pair.second().recv(3), "a datagram is cut to bufsize");
        ByteBuffer empty = ByteBuffer.allocateDirect(8);
        assertEquals(null, pair.second().recvFromInto(empty), "a socketpair datagram has no sender address (CPython: None)");
        assertEquals(0, empty.position(), "the empty datagram is one datagram");
        assertArrayEquals(new byte[] {7}, pair.second().recv(8), "the rest of the cut datagram was discarded");
    }

    @Test
    void filenoIsTheKernelsSocket() throws Exception {
        Socket s = open(SocketType.SOCK_STREAM);
        int fd = s.fileno();
        assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("socket:["), "fd " + fd + " is a socket");
        s.close();
        assertEquals(-1, s.fileno(), "fileno after close");
    }

    @Test
    void bufferSizesAndPassCredRoundTrip() throws Exception {
        Socket s = open(SocketType.SOCK_DGRAM);
        s.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
        assertEquals(131072, s.getOption(StandardSocketOptions.SO_RCVBUF), "Linux doubles SO_RCVBUF, as CPython shows");
        s.setOption(UnixOptions.SO_PASSCRED, true);
        assertTrue(s.getOption(UnixOptions.SO_PASSCRED), "SO_PASSCRED after setting it");
        SocketError e = assertThrows(SocketError.class, () -> s.setOption(UnixOptions.SO_PEERCRED, new io.jsock.PeerCredentials(1, 1, 1)));
        assertEquals(Errno.ENOPROTOOPT, e.errno(), "SO_PEERCRED is read-only");
    }

    @Test
    void linuxAnswersForAfUnixAsCPython() throws Exception {
        Socket s = open(SocketType.SOCK_STREAM);
        assertEquals(Errno.EINVAL, assertThrows(SocketError.class, () -> s.listen(1)).errno(), "listen unbound");
        assertEquals(Errno.EINVAL, assertThrows(SocketError.class, () -> s.recv(1)).errno(), "recv unconnected");
        Socket d = open(SocketType.SOCK_DGRAM);
        assertEquals(Errno.EOPNOTSUPP, assertThrows(SocketError.class, () -> d.listen(1)).errno(), "listen on datagram");
        Socket dgramTarget = bound(SocketType.SOCK_DGRAM, "dg");
        assertEquals(Errno.EPROTOTYPE, assertThrows(SocketError.class, () -> s.connect(dgramTarget.getSockName())).errno(),
                "stream connect to a datagram socket");
        d.bind(UnixAddress.unnamed());
        UnixAddress auto = (UnixAddress) d.getSockName();
        assertTrue(auto.isAbstract() && auto.name().length() == 5, "bind to the unnamed address autobinds a 5-hex-digit abstract name: " + auto);
    }

    private SocketPair pair(SocketType type) throws SocketError {
        SocketPair pair = provider.openPair(AddressFamily.AF_UNIX, type);
        sockets.add(pair.first());
        sockets.add(pair.second());
        return pair;
    }

    /** Waits until the call has had time to block: still running after a short bounded wait. */
    private static void awaitBlocked(CompletableFuture<?> call) throws Exception {
        try {
            call.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("the call did not block: " + call);
        } catch (java.util.concurrent.TimeoutException expected) {
            // still inside the call
        }
    }

    private static SocketError failure(CompletableFuture<?> call) throws Exception {
        try {
            call.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the call did not fail");
        } catch (ExecutionException e) {
            return assertInstanceOf(SocketError.class, e.getCause(), "failure of the call");
        }
    }
}
