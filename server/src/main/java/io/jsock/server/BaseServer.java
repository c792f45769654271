package io.jsock.server;

import io.jsock.Errno;
import io.jsock.Ready;
import io.jsock.Selector;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.spi.AbstractSocket;

import java.io.Closeable;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * Python's {@code socketserver.BaseServer}: a bound socket, a handler, and the loop that waits in a
 * {@link Selector} for requests. The hooks are Python's methods, overridden in a subclass:
 * {@link #handleError}, {@link #handleTimeout}, {@link #verifyRequest}, {@link #serviceActions}.
 *
 * <p>The server's socket is non-blocking: a request the selector reported but another process took
 * first is skipped, never waited for. When accept(2) fails because the process or the system is
 * out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM), the server reports it once per
 * burst through {@link #handleError} (with a null request), pauses (10 ms doubling to 1 s, ended at
 * once by {@link #shutdown}) while the connections wait in the backlog, and goes on.
 *
 * <p>With {@link Threading#PLATFORM} or {@link Threading#VIRTUAL}, each request runs in a new
 * thread (a daemon, unlike Python's default) and {@link #close} waits for the running ones, as
 * Python's {@code block_on_close}.
 */
public abstract class BaseServer implements Closeable {
    /** Python's default {@code poll_interval}: how often serveForever runs {@link #serviceActions} when idle. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Set<Errno> EXHAUSTED = EnumSet.of(Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM);
    private static final long FIRST_PAUSE_NANOS = 10_000_000;
    private static final long LONGEST_PAUSE_NANOS = 1_000_000_000;

    private final Socket socket;
    private final SocketAddress address;
    private final RequestHandler handler;
    private final Threading threading;
    private final ThreadFactory threads;
    private final Selector selector;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Object state = new Object();
    private volatile Duration timeout;
    private volatile boolean shutdownRequest;
    private volatile boolean closed;
    /** The thread in serveForever, or null. */
    private Thread serving;
    /** The current pause after running out of descriptors, 0 when accept works. */
    private long pauseNanos;

    /**
     * A server on {@code socket}, bound already (and listening, for a stream server). Closes the
     * socket if it fails.
     */
    BaseServer(Socket socket, RequestHandler handler, Threading threading) throws SocketError {
        try {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(threading, "threading");
            this.threads = threads(threading);
            this.socket = socket;
            this.handler = handler;
            this.threading = threading;
            socket.setBlocking(false);
            this.address = socket.getSockName();
            this.selector = Selector.open();
            try {
                selector.register(socket, Selector.EVENT_READ, null);
            } catch (SocketError | RuntimeException e) {
                selector.close();
                throw e;
            }
        } catch (SocketError | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** How handlers are started: none for NONE; VIRTUAL only where Java has virtual threads. */
    private static ThreadFactory threads(Threading threading) {
        switch (threading) {
            case NONE:
                return null;
            case PLATFORM:
                return r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    return t;
                };
            default:
                return VirtualThreads.factory();
        }
    }

    /** The address the server is bound to (Python's {@code server_address}), with the real port for port 0. */
    public SocketAddress serverAddress() {
        return address;
    }

    /** The server's socket (Python's {@code socket}). */
    public Socket socket() {
        return socket;
    }

    /** How the server runs its handlers. */
    public Threading threading() {
        return threading;
    }

    /** {@link #serveForever(Duration)} with Python's poll interval of 0.5 s. */
    public void serveForever() throws SocketError {
        serveForever(POLL_INTERVAL);
    }

    /**
     * Handles requests until {@link #shutdown}: waits in the selector at most {@code pollInterval}
     * at a time (null: no limit) and runs {@link #serviceActions} after each wait. A shutdown ends
     * the wait at once, whatever the interval. An interrupt of the serving thread ends it too, with
     * {@link Errno#EINTR} (the interrupt status stays set).
     *
     * @throws IllegalStateException another thread is in serveForever already
     * @throws SocketError           the selector failed, or the server is closed ({@link Errno#EBADF})
     */
    public void serveForever(Duration pollInterval) throws SocketError {
        synchronized (state) {
            if (serving != null) {
                throw new IllegalStateException("serveForever is running already in " + serving);
            }
            if (closed) {
                throw new SocketError(Errno.EBADF, "serveForever: the server is closed");
            }
            serving = Thread.currentThread();
        }
        try {
            while (!shutdownRequest) {
                List<Ready> ready = selector.select(pollInterval);
                if (shutdownRequest) {
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new SocketError(Errno.EINTR, "serveForever: interrupted");
                }
                if (!ready.isEmpty()) {
                    handleRequestNoBlock();
                }
                serviceActions();
            }
        } finally {
            synchronized (state) {
                shutdownRequest = false;
                serving = null;
                state.notifyAll();
            }
        }
    }

    /**
     * Handles one request, waiting for it at most {@link #timeout()} (no limit when null); when none
     * came in time, calls {@link #handleTimeout}.
     */
    public void handleRequest() throws SocketError {
        Duration limit = timeout;
        long deadline = limit == null ? 0 : System.nanoTime() + saturatedNanos(limit);
        while (true) {
            Duration left = limit == null ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            List<Ready> ready = selector.select(left);
            if (!ready.isEmpty()) {
                handleRequestNoBlock();
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new SocketError(Errno.EINTR, "handleRequest: interrupted");
            }
            if (limit != null && deadline - System.nanoTime() <= 0) {
                handleTimeout();
                return;
            }
        }
    }

    /**
     * Ends {@link #serveForever} and waits until it has returned (at once when called from its own
     * thread, a handler of {@link Threading#NONE}). Called with no serveForever running, it makes the
     * next one return at once, so a server started in another thread and shut down straight away stops.
     */
    public void shutdown() {
        synchronized (state) {
            shutdownRequest = true;
            selector.wakeup();
            Thread t = serving;
            if (t != null) {
                LockSupport.unpark(t); // ends a pause after EMFILE at once
            }
            boolean interrupted = false;
            while (serving != null && serving != Thread.currentThread()) {
                try {
                    state.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Python's {@code server_close}: stops a serveForever running in another thread, closes the
     * socket and the selector, and waits for the handlers still running. Idempotent; never throws.
     * A socket file of an AF_UNIX server stays, as in Python.
     */
    @Override
    public void close() {
        synchronized (state) {
            if (closed) {
                return;
            }
        }
        shutdown();
        synchronized (state) {
            closed = true;
        }
        socket.close();
        selector.close();
        boolean interrupted = false;
        for (Thread t : running) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long {@link #handleRequest} waits; null (the default) for no limit. */
    public Duration timeout() {
        return timeout;
    }

    /** Sets how long {@link #handleRequest} waits (Python's {@code timeout} attribute); null for no limit. */
    public void setTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * A handler threw, or the server failed to take a request (then {@code request} is null): by
     * default one line on stderr naming the server, the client and the error. Python's
     * {@code handle_error}. The server goes on.
     */
    protected void handleError(Request request, Throwable error) {
        String who = request == null ? "" : ": request from " + describe(request.clientAddress());
        System.err.println("jsock server " + describe(address) + who + ": " + error);
    }

    /** {@link #handleRequest} waited {@link #timeout()} in vain: Python's {@code handle_timeout}; nothing by default. */
    protected void handleTimeout() {
    }

    /** Whether to handle a request (Python's {@code verify_request}); false drops it. True by default. */
    protected boolean verifyRequest(Request request) {
        return true;
    }

    /** Called once per {@link #serveForever} loop (Python's {@code service_actions}); nothing by default. */
    protected void serviceActions() {
    }

    /** The next request, or null when there is none after all (another process took it, or EAGAIN). */
    abstract Request getRequest() throws SocketError;

    /** Sends what a handler left to send (a datagram reply); a stream flushes its wfile. */
    abstract void finishRequest(Request request) throws Exception;

    /** Ends a request: a connection is shut down for writing and closed; a datagram needs nothing. */
    abstract void shutdownRequest(Request request);

    /** Python's {@code _handle_request_noblock}. */
    private void handleRequestNoBlock() {
        Request request;
        try {
            request = getRequest();
        } catch (SocketError e) {
            if (EXHAUSTED.contains(e.errno())) {
                backOff(e);
            } else if (e.errno() != Errno.ECONNABORTED && !closed) {
                handleError(null, e);
            }
            return;
        }
        pauseNanos = 0;
        if (request == null) {
            return;
        }
        if (!verifyRequest(request)) {
            shutdownRequest(request);
            return;
        }
        if (threads == null) {
            try {
                process(request);
            } catch (Exception | StackOverflowError e) {
                handleError(request, e);
            } finally {
                shutdownRequest(request);
            }
            return;
        }
        Thread t = threads.newThread(() -> {
            try {
                process(request);
            } catch (Exception | StackOverflowError e) {
                handleError(request, e);
            } finally {
                shutdownRequest(request);
                running.remove(Thread.currentThread());
            }
        });
        t.setName("jsock-server " + describe(request.clientAddress()));
        running.add(t);
        try {
            t.start();
        } catch (OutOfMemoryError | IllegalStateException noThread) {
            running.remove(t);
            handleError(request, noThread);
            shutdownRequest(request);
        }
    }

    private void process(Request request) throws Exception {
        handler.handle(request);
        finishRequest(request);
    }

    /** Out of descriptors or memory: report the first of a burst, then wait a little, longer each time. */
    private void backOff(SocketError e) {
        if (pauseNanos == 0) {
            handleError(null, e);
            pauseNanos = FIRST_PAUSE_NANOS;
        } else {
            pauseNanos = Math.min(pauseNanos * 2, LONGEST_PAUSE_NANOS);
        }
        long until = System.nanoTime() + pauseNanos;
        while (!shutdownRequest && !Thread.currentThread().isInterrupted()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** Whether the last accept failed for want of descriptors, and the server is pausing between tries. */
    boolean exhausted() {
        return pauseNanos != 0;
    }

    static String describe(SocketAddress address) {
        return address == null ? "''" : AbstractSocket.describe(address);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException centuries) {
            return Long.MAX_VALUE / 2;
        }
    }
}
