package io.jsock.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native memory one call works in: a control area (sockaddrs, lengths, a pollfd, option
 * values) and a data area for heap buffers, at most {@link #DATA_CAP} bytes. A platform thread
 * keeps its own; a virtual thread borrows one from a small pool for one attempt and gives it back
 * before it parks, so memory grows with carriers, not with sockets or parked threads.
 */
final class Scratch {
    /** The most heap data one call copies through native memory. */
    static final int DATA_CAP = 64 * 1024;

    // the control area's layout
    static final int ADDR = 0;                          // a sockaddr_storage
    static final int ADDR_LEN = ADDR + SockAddr.STORAGE; // its socklen_t
    static final int POLLFD = ADDR_LEN + 8;             // struct pollfd { int fd; short events, revents; }
    static final int OPT_LEN = POLLFD + 8;              // an option's socklen_t
    static final int OPT = OPT_LEN + 8;                 // an option's value
    static final int OPT_SIZE = 256;
    static final int TO_ADDR = OPT + OPT_SIZE;          // a destination sockaddr
    static final int CONTROL_SIZE = TO_ADDR + SockAddr.STORAGE;

    private static final ThreadLocal<Scratch> PLATFORM = ThreadLocal.withInitial(Scratch::new);
    private static final ConcurrentLinkedQueue<Scratch> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();
    private static final int POOL_MAX = 64;

    final Mem control = Mem.allocate(CONTROL_SIZE);
    private final boolean pooled;
    private Mem data;

    private Scratch() {
        this(false);
    }

    private Scratch(boolean pooled) {
        this.pooled = pooled;
    }

    /** This thread's scratch (a platform thread's own, or one borrowed for a virtual thread). */
    static Scratch acquire() {
        if (!Threads.isVirtual()) {
            return PLATFORM.get();
        }
        Scratch s = POOL.poll();
        if (s == null) {
            return new Scratch(true);
        }
        POOLED.decrementAndGet();
        return s;
    }

    /** Gives a borrowed scratch back; a platform thread's stays with it. */
    void release() {
        if (pooled && POOLED.incrementAndGet() <= POOL_MAX) {
            POOL.offer(this);
        } else if (pooled) {
            POOLED.decrementAndGet();
        }
    }

    /** A data area of at least {@code min(size, DATA_CAP)} bytes. */
    Mem data(int size) {
        int wanted = Math.min(Math.max(size, 1), DATA_CAP);
        if (data == null || data.size() < wanted) {
            data = Mem.allocate(Math.max(wanted, data == null ? 8192 : Math.min(DATA_CAP, data.size() * 2)));
        }
        return data;
    }
}
