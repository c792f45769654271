package io.jsock.example.seqpacket;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What this provider does beyond the TCK: CPython's choices where Linux leaves room, and its waiting connect. */
class SeqpacketSocketTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private final SeqpacketProvider provider = new SeqpacketProvider();
    private final List<Socket> sockets = new ArrayList<>();
    private Path dir;

    @AfterEach
    void clean() throws IOException {
        sockets.forEach(Socket::close);
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void foundByServiceLoaderForItsTriple() throws Exception {
        assertInstanceOf(SeqpacketProvider.class, Sockets.provider("seqpacket"), "Sockets.provider(\"seqpacket\")");
        Socket s = track(Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET));
        assertEquals(SocketType.SOCK_SEQPACKET, s.type(), "type of Sockets.socket(AF_UNIX, SOCK_SEQPACKET)");
        try (SocketPair pair = Sockets.socketPair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET)) {
            pair.first().send("ping".getBytes());
            pair.first().send("pong".getBytes());
            assertArrayEquals("ping".getBytes(), pair.second().recv(100), "first message over socketpair(2)");
            assertArrayEquals("pong".getBytes(), pair.second().recv(100), "second message over socketpair(2)");
        }
    }

    @Test
    void otherTriplesAreRefusedWithTheirErrno() {
        assertEquals(Errno.EAFNOSUPPORT, assertThrows(SocketError.class,
                () -> provider.open(AddressFamily.AF_INET, SocketType.SOCK_SEQPACKET, 0)).errno(), "AF_INET");
        assertEquals(Errno.ESOCKTNOSUPPORT, assertThrows(SocketError.class,
                () -> provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0)).errno(), "SOCK_STREAM");
        assertEquals(Errno.EPROTONOSUPPORT, assertThrows(SocketError.class,
                () -> provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 6)).errno(), "proto 6");
    }

    @Test
    void errorMessageNamesTheCallAndTheAddress() throws Exception {
        Path missing = dir().resolve("missing.sock");
        SocketError e = assertThrows(SocketError.class, () -> open().connect(UnixAddress.of(missing)));
        assertEquals(Errno.ENOENT, e.errno(), "connect to a path nobody bound");
        assertEquals("connect " + missing + ": No such file or directory", e.getMessage(), "message");
    }

    @Test
    void recvZeroMakesNoCallAndKeepsTheMessage() throws Exception {
        SocketPair pair = pair();
        pair.first().send("kept".getBytes());
        assertEquals(0, pair.second().recv(0).length, "recv(0)");
        assertArrayEquals("kept".getBytes(), pair.second().recv(100), "the message recv(0) left, as CPython leaves it");
    }

    @Test
    void recvFromGivesTheBoundPeerOrNull() throws Exception {
        Socket listener = open();
        UnixAddress listening = UnixAddress.of(dir().resolve("l.sock"));
        listener.bind(listening);
        listener.listen(4);
        Socket client = open();
        UnixAddress clientName = UnixAddress.of(dir().resolve("c.sock"));
        client.bind(clientName);
        client.connect(listening);
        Socket server = track(listener.accept().socket());
        client.send("from a bound client".getBytes());
        Datagram d = server.recvFrom(100);
        assertEquals(clientName, d.address(), "sender of a message from a bound client");
        Socket anonymous = open();
        anonymous.connect(listening);
        Socket server2 = track(listener.accept().socket());
        anonymous.send("x".getBytes());
        assertNull(server2.recvFrom(100).address(), "sender of a message from an unbound client: none, CPython's None");
    }

    @Test
    void connectWaitsForRoomInTheBacklogInBlockingMode() throws Exception {
        Socket listener = fullListener();
        Socket waiting = open();
        CompletableFuture<Void> connect = background(() -> {
            waiting.connect(listener.getSockName());
            return null;
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> connect.get(200, TimeUnit.MILLISECONDS),
                "connect to a listener with a full backlog must wait");
        listener.setTimeout(LIMIT);
        track(listener.accept().socket());
        connect.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(listener.getSockName(), waiting.getPeerName(), "peer of the connect that waited");
    }

    @Test
    void connectToAFullBacklogRaisesEagainUnlessBlocking() throws Exception {
        // CPython on Linux: BlockingIOError (EAGAIN) at once in timeout mode, as in non-blocking mode
        Socket listener = fullListener();
        Socket timed = open();
        timed.setTimeout(Duration.ofSeconds(5));
        long start = System.nanoTime();
        SocketError e = assertThrows(SocketError.class, () -> timed.connect(listener.getSockName()), "timeout-mode connect to a full backlog");
        assertEquals(Errno.EAGAIN, e.errno(), "errno of a timeout-mode connect to a full backlog: " + e);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "the EAGAIN must come at once, not after the timeout");
        Socket nonBlocking = open();
        nonBlocking.setBlocking(false);
        assertEquals(Errno.EAGAIN.code(), nonBlocking.connectEx(listener.getSockName()), "non-blocking connect to a full backlog");
    }

    @Test
    void closeEndsAConnectWaitingForTheBacklog() throws Exception {
        Socket listener = fullListener();
        Socket waiting = open();
        CompletableFuture<Integer> connect = background(() -> waiting.connectEx(listener.getSockName()));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> connect.get(200, TimeUnit.MILLISECONDS),
                "connect to a listener with a full backlog must wait");
        waiting.close();
        assertEquals(Errno.EBADF.code(), connect.get(2, TimeUnit.SECONDS), "connect ended by close from another thread");
    }

    /** A listener with backlog 0 and as many pending connections as Linux queues for it. */
    private Socket fullListener() throws Exception {
        Socket listener = open();
        listener.bind(UnixAddress.of(dir().resolve("full.sock")));
        listener.listen(0);
        for (int i = 0; i < 64; i++) {
            Socket filler = open();
            filler.setBlocking(false);
            int code = filler.connectEx(listener.getSockName());
            if (code == Errno.EAGAIN.code()) {
                return listener;
            }
            assertEquals(0, code, "connect #" + i + " to fill the backlog");
        }
        throw new AssertionError("64 connections did not fill a backlog of 0");
    }

    private SocketPair pair() throws SocketError {
        SocketPair p = provider.openPair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET);
        track(p.first());
        track(p.second());
        return p;
    }

    private Socket open() throws SocketError {
        return track(provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0));
    }

    private Socket track(Socket s) {
        sockets.add(s);
        return s;
    }

    private Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("jsock-seqpacket");
        }
        return dir;
    }

    /** Runs {@code call} on its own daemon thread (the common pool may have one thread on 2 cores). */
    private static <T> CompletableFuture<T> background(java.util.concurrent.Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "seqpacket-test");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
