package io.jsock;

import io.jsock.spi.ReadinessProvider;
import io.jsock.spi.ReadinessSet;

import java.io.Closeable;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Python's {@code selectors.DefaultSelector}: sockets watched for readiness, on Linux over
 * epoll(7), level-triggered as Python's is (a socket stays ready, and is reported by every
 * {@link #select}, until it is read or written). One selector takes sockets of every provider
 * that exposes a descriptor ({@link Socket#fileno()}): every built-in one, TCP, UDP and AF_UNIX
 * alike, in any mode (blocking, timeout or non-blocking).
 *
 * <p>Unregister a socket before closing it, as in Python. A registered socket closed anyway is
 * never reported again, by this select or one running in another thread, and {@link #unregister}
 * still removes its key; a new socket that gets the closed one's descriptor number is never
 * reported for the old key.
 *
 * <p>Threads: {@link #register}, {@link #modify}, {@link #unregister} and {@link #wakeup} may be
 * called while another thread is in {@link #select}; an interrupt of the selecting thread ends the
 * select as {@link #wakeup} does and leaves the interrupt status set, as {@link java.nio.channels.Selector}
 * does. A virtual thread's select parks it, not its carrier.
 */
public final class Selector implements Closeable {
    /** Readable: data, an end of stream, an error, a pending connection. */
    public static final int EVENT_READ = 1;
    /** Writable: room in the send buffer, a connect completed (or failed). */
    public static final int EVENT_WRITE = 2;

    /** The most readiness one select reports; a busier set reports the rest on the next call. */
    private static final int MAX_EVENTS = 4096;

    private final ReadinessSet set;
    private final Map<Socket, SelectorKey> keys = new ConcurrentHashMap<>();
    private final Map<Socket, Long> tokens = new ConcurrentHashMap<>();
    private final Map<Long, SelectorKey> byToken = new ConcurrentHashMap<>();
    private final AtomicLong nextToken = new AtomicLong(1);
    private final Object lock = new Object();
    private volatile boolean closed;

    private Selector(ReadinessSet set) {
        this.set = set;
    }

    /**
     * A new selector (epoll_create1(2) and eventfd(2)). No readiness provider installed (no jsock-core
     * on the path): {@link Errno#EOPNOTSUPP}.
     */
    public static Selector open() throws SocketError {
        return new Selector(Readiness.provider().open());
    }

    /**
     * Watches {@code socket} for {@code events} ({@link #EVENT_READ}, {@link #EVENT_WRITE} or both),
     * with {@code data} given back in its key (may be null). epoll_ctl(2) {@code EPOLL_CTL_ADD}.
     *
     * @throws IllegalArgumentException the socket is registered already, closed, or events is no
     *                                  non-empty combination of EVENT_READ | EVENT_WRITE
     * @throws SocketError              {@link Errno#EOPNOTSUPP} when the socket's provider exposes no
     *                                  descriptor; {@link Errno#EBADF} when this selector is closed
     */
    public SelectorKey register(Socket socket, int events, Object data) throws SocketError {
        Objects.requireNonNull(socket, "socket");
        checkEvents(events);
        return add(socket, events, data, events);
    }

    /** Registers with the set's own event bits, for {@link Sockets#select}'s PRIORITY. */
    SelectorKey add(Socket socket, int events, Object data, int setEvents) throws SocketError {
        int fd = descriptor(socket, "register");
        synchronized (lock) {
            requireOpen("register");
            if (keys.containsKey(socket)) {
                throw new IllegalArgumentException("socket is already registered: " + socket);
            }
            long token = nextToken.getAndIncrement();
            set.add(socket, fd, setEvents, token);
            SelectorKey key = new SelectorKey(socket, fd, events, data);
            tokens.put(socket, token);
            byToken.put(token, key);
            keys.put(socket, key);
            return key;
        }
    }

    /**
     * Changes a registered socket's events and data, as Python's {@code modify}: epoll_ctl(2)
     * {@code EPOLL_CTL_MOD} when the events change.
     *
     * @throws IllegalArgumentException the socket is not registered, or events is no non-empty
     *                                  combination of EVENT_READ | EVENT_WRITE
     */
    public SelectorKey modify(Socket socket, int events, Object data) throws SocketError {
        Objects.requireNonNull(socket, "socket");
        checkEvents(events);
        synchronized (lock) {
            requireOpen("modify");
            SelectorKey old = keys.get(socket);
            if (old == null) {
                throw new IllegalArgumentException("socket is not registered: " + socket);
            }
            long token = tokens.get(socket);
            if (old.events() != events) {
                set.modify(socket, old.fd(), events, token);
            }
            SelectorKey key = new SelectorKey(socket, old.fd(), events, data);
            byToken.put(token, key);
            keys.put(socket, key);
            return key;
        }
    }

    /**
     * Stops watching {@code socket} and returns its key; a socket closed since it was registered is
     * removed too (its descriptor is not touched: the number may be another socket's by now).
     *
     * @throws IllegalArgumentException the socket is not registered
     */
    public SelectorKey unregister(Socket socket) {
        Objects.requireNonNull(socket, "socket");
        synchronized (lock) {
            SelectorKey key = keys.remove(socket);
            if (key == null) {
                throw new IllegalArgumentException("socket is not registered: " + socket);
            }
            Long token = tokens.remove(socket);
            byToken.remove(token);
            if (!closed) {
                set.remove(socket, key.fd());
            }
            return key;
        }
    }

    /**
     * The registered sockets that are ready, each with the events of its key it is ready for:
     * epoll_wait(2). {@code null} waits until one is ready; {@link Duration#ZERO} (or a negative
     * duration, as in Python) never waits. An empty list: the time passed, {@link #wakeup} was
     * called, or the thread was interrupted.
     *
     * @throws SocketError {@link Errno#EBADF} when this selector is closed
     */
    public List<Ready> select(Duration timeout) throws SocketError {
        List<Ready> ready = new ArrayList<>();
        await(timeout, (token, events) -> {
            SelectorKey key = byToken.get(token);
            if (key == null || key.socket().isClosed()) {
                return; // unregistered or closed since the kernel saw it ready
            }
            // Python's EpollSelector: a hang-up or error makes a socket both readable and writable
            int mask = 0;
            if ((events & ~ReadinessSet.READ) != 0) {
                mask |= EVENT_WRITE;
            }
            if ((events & ~ReadinessSet.WRITE) != 0) {
                mask |= EVENT_READ;
            }
            mask &= key.events();
            if (mask != 0) {
                ready.add(new Ready(key, mask));
            }
        });
        return ready;
    }

    /** Waits as {@link #select} does and reports the set's raw events by key. */
    void await(Duration timeout, ReadinessSet.Sink sink) throws SocketError {
        requireOpen("select");
        long nanos = nanos(timeout);
        int max = Math.max(1, Math.min(MAX_EVENTS, keys.size()));
        if (nanos == 0) {
            set.await(max, 0, sink);
            return;
        }
        Blocker blocker = new Blocker();
        try {
            blocker.enter();
            if (!Thread.currentThread().isInterrupted()) {
                set.await(max, nanos, sink);
            }
        } finally {
            blocker.exit();
        }
    }

    /** The key a token of this selector stands for, or null once unregistered. */
    SelectorKey keyOf(long token) {
        return byToken.get(token);
    }

    /** The key of a registered socket. @throws IllegalArgumentException it is not registered */
    public SelectorKey getKey(Socket socket) {
        Objects.requireNonNull(socket, "socket");
        SelectorKey key = keys.get(socket);
        if (key == null) {
            throw new IllegalArgumentException("socket is not registered: " + socket);
        }
        return key;
    }

    /** The registered sockets and their keys: a live view that cannot be changed through it. */
    public Map<Socket, SelectorKey> getMap() {
        return Collections.unmodifiableMap(keys);
    }

    /**
     * Ends a {@link #select} in another thread at once (a write to an eventfd(2) the selector
     * watches); with nobody selecting, the next select returns at once.
     */
    public void wakeup() {
        if (!closed) {
            set.wakeup();
        }
    }

    /** Forgets every key and releases the epoll and eventfd descriptors; idempotent, never throws. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            keys.clear();
            tokens.clear();
            byToken.clear();
        }
        set.wakeup();
        set.close();
    }

    @Override
    public String toString() {
        return "<Selector " + (closed ? "[closed]" : keys.size() + " registered") + ">";
    }

    private void requireOpen(String call) throws SocketError {
        if (closed) {
            throw new SocketError(Errno.EBADF, call + ": the selector is closed");
        }
    }

    private static void checkEvents(int events) {
        if (events == 0 || (events & ~(EVENT_READ | EVENT_WRITE)) != 0) {
            throw new IllegalArgumentException("events must be a non-empty combination of EVENT_READ | EVENT_WRITE, not " + events);
        }
    }

    /** The socket's descriptor, or why there is none. */
    static int descriptor(Socket socket, String call) throws SocketError {
        if (socket.isClosed()) {
            throw new IllegalArgumentException("socket is closed: " + socket);
        }
        int fd;
        try {
            fd = socket.fileno();
        } catch (SocketError e) {
            if (e.errno() == Errno.EOPNOTSUPP) {
                throw new SocketError(Errno.EOPNOTSUPP, call + ": " + socket.getClass().getName()
                        + " sockets expose no descriptor, so no selector can watch them (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        if (fd < 0) {
            throw new IllegalArgumentException("socket is closed: " + socket);
        }
        return fd;
    }

    /** -1: no limit; 0: never waits; else nanoseconds, saturated. */
    private static long nanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return 0;
        }
        try {
            return Math.max(1, timeout.toNanos());
        } catch (ArithmeticException centuries) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The JDK's hook for {@link Thread#interrupt()}: an interrupt between enter and exit wakes the
     * set, as {@link java.nio.channels.Selector}'s does.
     */
    private final class Blocker extends AbstractInterruptibleChannel {
        void enter() {
            begin();
        }

        void exit() {
            try {
                end(true);
            } catch (ClosedByInterruptException interrupted) {
                // the interrupt woke the select; its status stays set for the caller to see
            } catch (java.io.IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        @Override
        protected void implCloseChannel() {
            wakeup();
        }
    }

    /** The installed readiness provider: the first ServiceLoader finds, with the context loader's as a fallback. */
    static final class Readiness {
        private static volatile ReadinessProvider found;

        private Readiness() {
        }

        static ReadinessProvider provider() throws SocketError {
            ReadinessProvider p = found;
            if (p == null) {
                p = first(Selector.class.getClassLoader());
                if (p == null && Thread.currentThread().getContextClassLoader() != null) {
                    p = first(Thread.currentThread().getContextClassLoader());
                }
                if (p == null) {
                    throw new SocketError(Errno.EOPNOTSUPP, "selector: no io.jsock.spi.ReadinessProvider is installed"
                            + " (jsock-core has the epoll one: put jsock-inet, jsock-datagram or jsock-unix on the path)");
                }
                found = p;
            }
            return p;
        }

        private static ReadinessProvider first(ClassLoader loader) {
            Iterator<ReadinessProvider> it = ServiceLoader.load(ReadinessProvider.class, loader).iterator();
            for (int i = 0; i < 16; i++) {
                try {
                    if (!it.hasNext()) {
                        return null;
                    }
                    return it.next();
                } catch (ServiceConfigurationError broken) {
                    System.err.println("jsock: a readiness provider could not be loaded, skipped: " + broken.getMessage());
                }
            }
            return null;
        }
    }
}
