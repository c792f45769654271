package io.jsock.server;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every server class in every threading mode, against CPython clients on loopback. */
class ServersTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** serveForever's poll interval in these tests: an hour, so a prompt shutdown shows the wake-up. */
    private static final Duration HOUR = Duration.ofHours(1);
    private static final boolean VIRTUAL = Runtime.version().feature() >= 21;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPython() {
        Assumptions.assumeTrue(PythonClients.installed(), "python3 is not installed: the servers are tested against CPython clients");
    }

    /** The kinds of server: a name, the Python client kind, and how to make one. */
    enum Kind {
        TCP4("tcp4", true), TCP6("tcp6", true), UNIX_STREAM("unix", true), UDP4("udp4", false), UNIX_DATAGRAM("unixdgram", false);

        final String client;
        final boolean stream;

        Kind(String client, boolean stream) {
            this.client = client;
            this.stream = stream;
        }

        BaseServer make(Path dir, RequestHandler h, Threading threading) throws SocketError {
            switch (this) {
                case TCP4:
                    return new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), h, threading);
                case TCP6:
                    return new TCPServer(new InetSocketAddress("::1", 0), h, threading);
                case UNIX_STREAM:
                    return new UnixStreamServer(UnixAddress.of(dir.resolve("s-" + System.nanoTime() + ".sock")), h, threading);
                case UDP4:
                    return new UDPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), h, threading);
                default:
                    return new UnixDatagramServer(UnixAddress.of(dir.resolve("d-" + System.nanoTime() + ".sock")), h, threading);
            }
        }
    }

    static Stream<Arguments> everyServerAndThreading() {
        List<Arguments> all = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (Threading t : Threading.values()) {
                all.add(Arguments.of(k, t));
            }
        }
        return all.stream();
    }

    /** Upper-cases each line (stream) or the datagram (read through rfile, written to wfile). */
    static final RequestHandler UPPER = r -> {
        if (r.data().length > 0) {
            r.wfile().write(new String(r.rfile().readAllBytes(), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)
                    .getBytes(StandardCharsets.US_ASCII));
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(r.rfile(), StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            r.wfile().write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    };

    private BaseServer make(Kind kind, RequestHandler h, Threading threading) throws SocketError {
        if (kind == Kind.TCP6) {
            Assumptions.assumeTrue(Sockets.hasDualStackIpv6() || ipv6Loopback(), "This host has no IPv6 loopback.");
        }
        if (threading == Threading.VIRTUAL) {
            Assumptions.assumeTrue(VIRTUAL, "Virtual threads need Java 21 or later.");
        }
        return kind.make(dir, h, threading);
    }

    private static boolean ipv6Loopback() {
        try (Socket s = Sockets.socket(AddressFamily.AF_INET6, SocketType.SOCK_STREAM)) {
            s.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (SocketError e) {
            return false;
        }
    }

    /** serveForever on a thread of its own; stopping it checks shutdown() was prompt. */
    private static final class Serving implements AutoCloseable {
        final BaseServer server;
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Serving(BaseServer server) {
            this.server = server;
            this.thread = new Thread(() -> {
                try {
                    server.serveForever(HOUR);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "serveForever");
            thread.start();
        }

        @Override
        public void close() {
            long start = System.nanoTime();
            server.shutdown();
            long ms = (System.nanoTime() - start) / 1_000_000;
            try {
                thread.join(LIMIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertFalse(thread.isAlive(), "serveForever still runs after shutdown()");
            assertTrue(ms < 5_000, "shutdown() took " + ms + " ms with a poll interval of an hour: it must wake the selector");
            server.close();
            if (failure.get() != null) {
                throw new AssertionError("serveForever failed", failure.get());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServerAndThreading")
    void servesCPythonClients(Kind kind, Threading threading) throws Exception {
        BaseServer server = make(kind, UPPER, threading);
        try (Serving s = new Serving(server)) {
            PythonClients.run(kind.client, server.serverAddress(), "sequential", 3);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServerAndThreading")
    void serves200ConcurrentClients(Kind kind, Threading threading) throws Exception {
        BaseServer server = make(kind, UPPER, threading);
        try (Serving s = new Serving(server)) {
            PythonClients.run(kind.client, server.serverAddress(), "concurrent", 200);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServerAndThreading")
    void serves1000SequentialClients(Kind kind, Threading threading) throws Exception {
        BaseServer server = make(kind, UPPER, threading);
        try (Serving s = new Serving(server)) {
            PythonClients.run(kind.client, server.serverAddress(), "sequential", 1000);
        }
    }

    /** A server whose hooks record what they were given. */
    private static final class Recording extends TCPServer {
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger timeouts = new AtomicInteger();
        final AtomicInteger actions = new AtomicInteger();
        volatile boolean refuse;

        Recording(RequestHandler h, Threading threading) throws SocketError {
            super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), h, threading);
        }

        @Override
        protected void handleError(Request request, Throwable error) {
            errors.add((request == null ? "-" : request.clientAddress()) + " " + error.getMessage());
        }

        @Override
        protected void handleTimeout() {
            timeouts.incrementAndGet();
        }

        @Override
        protected boolean verifyRequest(Request request) {
            return !refuse;
        }

        @Override
        protected void serviceActions() {
            actions.incrementAndGet();
        }
    }

    private static byte[] exchange(SocketAddress server, String send) throws SocketError {
        try (Socket c = Sockets.createConnection(server, LIMIT)) {
            c.sendAll(send.getBytes(StandardCharsets.US_ASCII));
            c.shutdown(io.jsock.Shutdown.SHUT_WR);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] b;
            while ((b = c.recv(4096)).length > 0) {
                got.writeBytes(b);
            }
            return got.toByteArray();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadings")
    void aHandlerThatThrowsIsReportedAndTheServerGoesOn(Threading threading) throws Exception {
        Assumptions.assumeTrue(threading != Threading.VIRTUAL || VIRTUAL, "Virtual threads need Java 21 or later.");
        RequestHandler h = r -> {
            String line = new BufferedReader(new InputStreamReader(r.rfile(), StandardCharsets.US_ASCII)).readLine();
            if ("boom".equals(line)) {
                throw new IllegalStateException("the handler failed on " + line);
            }
            r.wfile().write(("ok " + line + "\n").getBytes(StandardCharsets.US_ASCII));
        };
        Recording server = new Recording(h, threading);
        try (Serving s = new Serving(server)) {
            Socket c = Sockets.createConnection(server.serverAddress(), LIMIT);
            SocketAddress client = c.getSockName();
            c.sendAll("boom\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, c.recv(100).length, "the failed request's connection is closed");
            c.close();
            await("the error to be reported", () -> !server.errors.isEmpty());
            assertEquals(List.of(client + " the handler failed on boom"), server.errors, "handleError's request and error");
            assertArrayEquals("ok next\n".getBytes(StandardCharsets.US_ASCII), exchange(server.serverAddress(), "next\n"),
                    "the next client is served");
        }
    }

    static Stream<Threading> threadings() {
        return Stream.of(Threading.values());
    }

    @Test
    void theDefaultHandleErrorIsOneLineOnStderrWithTheClientAddress() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        TCPServer server = new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), r -> {
            throw new IllegalStateException("no luck");
        }, Threading.NONE);
        SocketAddress client;
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Serving s = new Serving(server)) {
            try (Socket c = Sockets.createConnection(server.serverAddress(), LIMIT)) {
                client = c.getSockName();
                assertEquals(0, c.recv(100).length, "the failed request's connection is closed");
            }
        } finally {
            System.setErr(old);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals("jsock server " + io.jsock.spi.AbstractSocket.describe(server.serverAddress()) + ": request from "
                + io.jsock.spi.AbstractSocket.describe(client) + ": java.lang.IllegalStateException: no luck\n", text);
    }

    @Test
    void handleRequestHonoursTheTimeout() throws Exception {
        Recording server = new Recording(UPPER, Threading.NONE);
        try {
            server.setTimeout(Duration.ofMillis(200));
            assertEquals(Duration.ofMillis(200), server.timeout());
            long start = System.nanoTime();
            server.handleRequest();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, server.timeouts.get(), "handleTimeout once nobody came");
            assertTrue(ms >= 180 && ms < 5_000, "handleRequest waited " + ms + " ms for a 200 ms timeout");
            server.setTimeout(LIMIT);
            Thread client = new Thread(() -> {
                try {
                    exchange(server.serverAddress(), "x\n");
                } catch (SocketError e) {
                    throw new IllegalStateException(e);
                }
            });
            client.start();
            server.handleRequest();
            client.join(LIMIT.toMillis());
            assertEquals(1, server.timeouts.get(), "no timeout when a client came");
            assertThrows(IllegalArgumentException.class, () -> server.setTimeout(Duration.ofSeconds(-1)));
        } finally {
            server.close();
        }
    }

    @Test
    void verifyRequestFalseDropsTheConnectionAndServiceActionsRunEachLoop() throws Exception {
        Recording server = new Recording(UPPER, Threading.NONE);
        server.refuse = true;
        try (Serving s = new Serving(server)) {
            try (Socket c = Sockets.createConnection(server.serverAddress(), LIMIT)) {
                assertEquals(0, c.recv(100).length, "a refused request's connection is closed unanswered");
            }
            server.refuse = false;
            assertArrayEquals("SERVED\n".getBytes(StandardCharsets.US_ASCII), exchange(server.serverAddress(), "served\n"));
            await("serviceActions after each request", () -> server.actions.get() >= 2);
        }
    }

    @Test
    void closeWaitsForRunningHandlers() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        TCPServer server = new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), r -> {
            inside.countDown();
            release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            finished.incrementAndGet();
        }, Threading.PLATFORM);
        Serving s = new Serving(server);
        Socket c = Sockets.createConnection(server.serverAddress(), LIMIT);
        try {
            assertTrue(inside.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "the handler started");
            Thread closer = new Thread(server::close, "close");
            closer.start();
            await("close to wait for the handler", () -> closer.getState() == Thread.State.WAITING
                    || closer.getState() == Thread.State.TIMED_WAITING);
            assertTrue(closer.isAlive(), "close() returned while a handler ran");
            assertEquals(0, finished.get());
            release.countDown();
            closer.join(LIMIT.toMillis());
            assertFalse(closer.isAlive(), "close() returns once the handler ended");
            assertEquals(1, finished.get());
        } finally {
            release.countDown();
            c.close();
            s.thread.join(LIMIT.toMillis());
        }
        assertFalse(s.thread.isAlive(), "close() stops serveForever");
    }

    @Test
    void shutdownFromAnotherThreadEndsServeForeverAtOnce() throws Exception {
        BaseServer server = new UDPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UPPER, Threading.NONE);
        Serving s = new Serving(server);
        await("serveForever to wait", () -> s.thread.getState() != Thread.State.NEW && inSelect(s.thread));
        s.close(); // asserts the shutdown was prompt though the poll interval is an hour
        assertThrows(SocketError.class, () -> server.serveForever(HOUR), "serveForever after close");
    }

    @Test
    void aServerShutDownBeforeItServesStopsAtOnce() throws Exception {
        BaseServer server = new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UPPER, Threading.NONE);
        try {
            server.shutdown();
            server.serveForever(HOUR); // returns: the shutdown came first
        } finally {
            server.close();
        }
    }

    @Test
    void aDatagramReplyToAPeerThatNeverReadsIsReportedAndOthersAreServed() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        UnixDatagramServer server = new UnixDatagramServer(UnixAddress.of(dir.resolve("flood.sock")), UPPER, Threading.NONE) {
            @Override
            protected void handleError(Request request, Throwable error) {
                errors.add(error instanceof SocketError e ? e.errno().name() : error.toString());
            }
        };
        try (Serving s = new Serving(server);
             Socket deaf = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
             Socket polite = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM)) {
            deaf.bind(UnixAddress.of(dir.resolve("deaf.sock")));
            deaf.setTimeout(Duration.ofMillis(50));
            long until = System.nanoTime() + LIMIT.toNanos();
            while (errors.isEmpty() && System.nanoTime() - until < 0) {
                try {
                    deaf.sendTo(new byte[1024], server.serverAddress());
                } catch (io.jsock.SocketTimeoutError serverQueueFull) {
                    // the server reads on
                }
            }
            assertEquals("EAGAIN", errors.isEmpty() ? "nothing" : errors.get(0), "the reply to the full queue");
            polite.bind(UnixAddress.of(dir.resolve("polite.sock")));
            polite.setTimeout(LIMIT);
            polite.sendTo("still there?".getBytes(StandardCharsets.US_ASCII), server.serverAddress());
            assertArrayEquals("STILL THERE?".getBytes(StandardCharsets.US_ASCII), polite.recv(100), "the others are answered");
        }
    }

    @Test
    void virtualIsRefusedBeforeJava21AndOnlyThen() throws Exception {
        if (VIRTUAL) {
            TCPServer server = new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UPPER, Threading.VIRTUAL);
            try {
                assertEquals(Threading.VIRTUAL, server.threading(), "Java " + Runtime.version().feature() + " takes VIRTUAL");
            } finally {
                server.close();
            }
            return;
        }
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UPPER, Threading.VIRTUAL));
        assertEquals("Threading.VIRTUAL needs Java 21 or later, and this is Java " + Runtime.version().feature()
                + ": use Threading.PLATFORM (a platform thread per request) or Threading.NONE", e.getMessage());
    }

    @Test
    void tcpServerSetsReuseAddressAndTheBoundSocketConstructorListens() throws Exception {
        TCPServer server = new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UPPER, Threading.NONE);
        try {
            assertEquals(Boolean.TRUE, server.socket().getOption(java.net.StandardSocketOptions.SO_REUSEADDR), "allow_reuse_address");
        } finally {
            server.close();
        }
        Socket bound = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
        bound.bind(UnixAddress.of(dir.resolve("own.sock")));
        UnixStreamServer own = new UnixStreamServer(bound, UPPER, Threading.NONE);
        try (Serving s = new Serving(own)) {
            PythonClients.run("unix", own.serverAddress(), "sequential", 2);
        }
        assertTrue(bound.isClosed(), "the server closed the socket it was given");
        Socket dgram = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
        assertThrows(IllegalArgumentException.class, () -> new TCPServer(dgram, UPPER, Threading.NONE), "a TCPServer on a datagram socket");
        assertTrue(dgram.isClosed(), "the refused socket is closed");
        assertThrows(NullPointerException.class, () -> new UDPServer((SocketAddress) null, UPPER, Threading.NONE));
        assertThrows(IllegalArgumentException.class, () -> new UDPServer(UnixAddress.of("/tmp/x"), UPPER, Threading.NONE));
    }

    private static boolean inSelect(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("io.jsock.Selector") && e.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "gave up waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(pause * 1_000_000L);
            pause = Math.min(pause * 2, 20);
        }
        assertNotNull(what);
    }
}
