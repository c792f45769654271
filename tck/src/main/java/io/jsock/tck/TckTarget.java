package io.jsock.tck;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import io.jsock.spi.SocketProvider;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One (provider, family, type, protocol) under test, and the workbench of a contract case: it opens
 * sockets through the provider, hands out loopback addresses, and closes every socket and deletes
 * every socket file it made when the case ends.
 */
public final class TckTarget implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final SocketProvider provider;
    private final AddressFamily family;
    private final SocketType type;
    private final int proto;
    private final List<Socket> opened = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    private final List<Runnable> cleanups = Collections.synchronizedList(new ArrayList<>());
    private Path tempDir;

    /**
     * @param provider the provider under test
     * @param family   the family
     * @param type     the type
     * @param proto    the protocol, 0 for the default
     */
    public TckTarget(SocketProvider provider, AddressFamily family, SocketType type, int proto) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.family = Objects.requireNonNull(family, "family");
        this.type = Objects.requireNonNull(type, "type");
        this.proto = proto;
    }

    /** The provider under test. */
    public SocketProvider provider() {
        return provider;
    }

    /** The family of the sockets the case opens. */
    public AddressFamily family() {
        return family;
    }

    /** The type of the sockets the case opens. */
    public SocketType type() {
        return type;
    }

    /** The protocol of the sockets the case opens, 0 for the family's default. */
    public int proto() {
        return proto;
    }

    /** The semantics of the type. */
    public Semantics semantics() {
        return Semantics.of(family, type);
    }

    /** A new socket of the triple from the provider, closed when the case ends. */
    public Socket open() throws SocketError {
        return track(provider.open(family, type, proto));
    }

    /** Has {@code socket} closed when the case ends; returns it. */
    public Socket track(Socket socket) {
        opened.add(socket);
        return socket;
    }

    /** Tracks the accepted socket and returns it. */
    public Socket track(Accepted accepted) {
        return track(accepted.socket());
    }

    /**
     * A loopback address to bind to: 127.0.0.1 or ::1 with port 0, or a new path in the case's
     * temporary folder for AF_UNIX. Skips the case for a family the TCK cannot address.
     */
    public SocketAddress bindAddress() {
        switch (family) {
            case AF_INET:
                return new InetSocketAddress(ipv4Loopback(), 0);
            case AF_INET6:
                return new InetSocketAddress(ipv6Loopback(), 0);
            case AF_UNIX:
                return UnixAddress.of(newSocketPath());
            default:
                throw skip("The TCK has no loopback address for " + family + ".");
        }
    }

    /** A new, not yet existing socket file path in the case's temporary folder. */
    public Path newSocketPath() {
        return tempDir().resolve("s" + NAMES.incrementAndGet() + ".sock");
    }

    /** The case's own temporary folder, deleted with everything in it when the case ends. */
    public Path tempDir() {
        if (tempDir == null) {
            try {
                tempDir = Files.createTempDirectory("jsock-tck");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tempDir;
    }

    /** A socket bound to {@link #bindAddress()} and listening with a backlog of 16. */
    public Socket listener() throws SocketError {
        Socket s = open();
        s.bind(bindAddress());
        s.listen(16);
        return s;
    }

    /** A socket bound to {@link #bindAddress()}. */
    public Socket bound() throws SocketError {
        Socket s = open();
        s.bind(bindAddress());
        return s;
    }

    /**
     * Two connected sockets: for a connection-oriented type a client and the server side accepted
     * from a listener; for datagrams two bound sockets connected to each other.
     */
    public Connection connection() throws SocketError {
        if (semantics() == Semantics.DATAGRAM) {
            Socket a = bound();
            Socket b = bound();
            a.connect(b.getSockName());
            b.connect(a.getSockName());
            return new Connection(a, b, null);
        }
        Socket listener = listener();
        Socket client = open();
        client.connect(listener.getSockName());
        Socket server = track(listener.accept());
        return new Connection(client, server, listener);
    }

    /**
     * An address of this family that nobody listens on: a port just freed on loopback, or for
     * AF_UNIX a socket file that is bound but not listening.
     */
    public SocketAddress refusingAddress() throws SocketError {
        if (family == AddressFamily.AF_UNIX) {
            Socket s = open();
            s.bind(bindAddress());
            return s.getSockName();
        }
        Socket s = provider.open(family, type, proto);
        try {
            s.bind(bindAddress());
            return s.getSockName();
        } finally {
            s.close();
        }
    }

    /**
     * Aborts the case, reported as skipped with {@code reason}: a sentence saying what the provider
     * or the host lacks ({@code "SO_PEERCRED is not supported."}). The report names the triple
     * beside it, so the reason does not. A case that does not apply to a triple is never skipped:
     * it declares where it applies in its {@link Contract}. Use as {@code throw t.skip(...)}.
     */
    public TestAbortedException skip(String reason) {
        throw new TestAbortedException(reason);
    }

    /**
     * Runs {@code call}; if it fails with {@code EOPNOTSUPP} or {@code ENOPROTOOPT}, the case is
     * skipped with that reason: for optional behaviour a provider may lack.
     */
    public <T> T optional(String what, SocketCall<T> call) throws Exception {
        try {
            return call.call();
        } catch (SocketError e) {
            if (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.ENOPROTOOPT) {
                String reason = e.getMessage().endsWith(".") ? e.getMessage() : e.getMessage() + ".";
                throw skip("The provider does not support " + what + ": " + reason);
            }
            throw e;
        }
    }

    /** A call that may throw. */
    @FunctionalInterface
    public interface SocketCall<T> {
        T call() throws Exception;
    }

    /**
     * Waits until {@code condition} holds, polling every few milliseconds.
     *
     * @throws AssertionError naming {@code what} if it does not hold within {@code limit}
     */
    public static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + limit.toMillis() + " ms waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pause * 1_000_000L);
            pause = Math.min(pause * 2, 20);
        }
    }

    /**
     * Whether {@link Sockets} would open this triple with this provider, as
     * {@link Sockets#providerFor} says. Cases of {@code Sockets}' module-level functions run only then.
     */
    public boolean isSocketsChoice() {
        try {
            SocketProvider chosen = Sockets.providerFor(family, type, proto);
            return chosen.name().equals(provider.name()) && chosen.getClass() == provider.getClass();
        } catch (SocketError | IllegalArgumentException none) {
            return false;
        }
    }

    /**
     * Asserts that {@code call} throws {@link SocketError} with {@code expected}, and returns it.
     *
     * @param subject the call and the socket, for the failure message: {@code "recv on a closed socket"}
     */
    public static SocketError assertErrno(Errno expected, String subject, SocketCall<?> call) {
        return assertErrnoIn(java.util.EnumSet.of(expected), subject, call);
    }

    /** Asserts that {@code call} throws {@link SocketError} with one of {@code expected}, and returns it. */
    public static SocketError assertErrnoIn(java.util.Set<Errno> expected, String subject, SocketCall<?> call) {
        Object result;
        try {
            result = call.call();
        } catch (SocketError e) {
            if (!expected.contains(e.errno())) {
                throw new org.opentest4j.AssertionFailedError(subject + " must raise " + expectedText(expected)
                        + ", raised " + e, e);
            }
            return e;
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable e) {
            throw new org.opentest4j.AssertionFailedError(subject + " must raise SocketError " + expectedText(expected)
                    + ", threw " + e, e);
        }
        throw new org.opentest4j.AssertionFailedError(subject + " must raise SocketError " + expectedText(expected)
                + ", returned " + describeResult(result));
    }

    private static String expectedText(java.util.Set<Errno> expected) {
        return expected.size() == 1 ? expected.iterator().next().name() : "one of " + expected;
    }

    private static String describeResult(Object result) {
        if (result instanceof byte[] b) {
            return b.length + " bytes";
        }
        return String.valueOf(result);
    }

    /**
     * The number of descriptors this process has open, from {@code /proc/self/fd}; skips the case
     * where there is no such folder.
     */
    public int openDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            throw skip("There is no /proc/self/fd to count descriptors in.");
        }
        try (Stream<Path> list = Files.list(fds)) {
            return (int) list.count() - 1; // the listing's own descriptor
        } catch (IOException e) {
            throw new UncheckedIOException("listing /proc/self/fd", e);
        }
    }

    /**
     * Runs {@code call} on a new daemon thread named {@code name}; the thread ends at the latest
     * when the case's sockets are closed.
     */
    public <T> Background<T> background(String name, SocketCall<T> call) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "jsock-tck " + name);
        thread.setDaemon(true);
        Background<T> b = new Background<>(name, thread, result);
        threads.add(thread);
        thread.start();
        return b;
    }

    /**
     * Runs a call that must not wait (a non-blocking one) on its own thread, and fails the case
     * if it has not returned within {@code limit}: a provider that wrongly blocks fails the case
     * instead of hanging it. What the call throws is rethrown.
     */
    public <T> T within(String what, Duration limit, SocketCall<T> call) throws Exception {
        return background(what, call).get(limit);
    }

    /**
     * A call running on its own thread.
     *
     * @param name   what it does, for messages
     * @param thread the thread
     * @param result how it ended
     */
    public record Background<T>(String name, Thread thread, java.util.concurrent.CompletableFuture<T> result) {
        /** Its result; what it threw is rethrown; an AssertionError if it does not end within {@code limit}. */
        public T get(Duration limit) throws Exception {
            try {
                return result.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(name + " did not end within " + limit.toMillis() + " ms");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Exception x) {
                    throw x;
                }
                if (e.getCause() instanceof Error x) {
                    throw x;
                }
                throw e;
            }
        }

        /** What it threw; an AssertionError if it returned normally or did not end within {@code limit}. */
        public Throwable failure(Duration limit) {
            try {
                T value = get(limit);
                throw new org.opentest4j.AssertionFailedError(name + " must fail, returned " + describeResult(value));
            } catch (org.opentest4j.AssertionFailedError e) {
                throw e;
            } catch (AssertionError e) {
                if (e.getMessage() != null && e.getMessage().startsWith(name + " did not end")) {
                    throw e;
                }
                return e;
            } catch (Throwable e) {
                return e;
            }
        }

        /**
         * Waits (up to {@code limit}) until the thread is inside {@code method} of {@code socket}'s
         * class hierarchy and has called further down from it, that is, into the provider's I/O.
         */
        public void awaitInside(Socket socket, String method, Duration limit) {
            await(name + " to block in " + method, limit, () -> {
                if (result.isDone()) {
                    return true; // it ended early; the caller's assertions say whether that is right
                }
                StackTraceElement[] stack = thread.getStackTrace();
                for (int i = 1; i < stack.length; i++) {
                    if (stack[i].getMethodName().equals(method) && isSocketClass(socket.getClass(), stack[i].getClassName())) {
                        return true;
                    }
                }
                return false;
            });
        }

        private static boolean isSocketClass(Class<?> c, String name) {
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                if (k.getName().equals(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Runs {@code cleanup} when the case ends, before its sockets are closed (a child process to kill, say). */
    public void onClose(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    /** Runs the case's cleanups, closes every socket the case opened and deletes its temporary folder. */
    @Override
    public void close() {
        List<Runnable> pending;
        synchronized (cleanups) {
            pending = new ArrayList<>(cleanups);
            cleanups.clear();
        }
        pending.forEach(Runnable::run);
        List<Socket> all;
        synchronized (opened) {
            all = new ArrayList<>(opened);
            opened.clear();
        }
        for (Socket s : all) {
            s.close();
        }
        List<Thread> running;
        synchronized (threads) {
            running = new ArrayList<>(threads);
            threads.clear();
        }
        for (Thread th : running) {
            try {
                th.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (tempDir != null) {
            try (Stream<Path> walk = Files.walk(tempDir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cleaning " + tempDir, e);
            }
            tempDir = null;
        }
    }

    @Override
    public String toString() {
        return provider.name() + " " + family + " " + type + (proto == 0 ? "" : " proto " + proto);
    }

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InetAddress ipv6Loopback() {
        try {
            InetAddress lo = InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            boolean present = NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
            if (!present) {
                throw skip("This host has no IPv6 loopback address (::1).");
            }
            return lo;
        } catch (SocketException e) {
            throw skip("The network interfaces cannot be listed: " + e + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Two sockets that talk to each other, and the listener they came from (null for datagrams).
     *
     * @param client   the connecting side (for datagrams, the first socket)
     * @param server   the accepted side (for datagrams, the second socket)
     * @param listener the listening socket, or null
     */
    public record Connection(Socket client, Socket server, Socket listener) {
    }
}
