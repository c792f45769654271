package io.jsock.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Where virtual threads wait: one epoll(7) instance per direction, each watched by one daemon
 * thread, as the JDK's own poller does. A waiting virtual thread registers its descriptor one-shot
 * and parks, so its carrier runs other virtual threads; the poller thread unparks it when the
 * descriptor is ready. Made on first use, so a program without virtual threads never has one.
 */
final class Poller {
    /** sizeof(struct epoll_event): packed on x86-64, padded to 16 elsewhere. */
    private static final int EVENT_SIZE = "amd64".equals(System.getProperty("os.arch")) ? 12 : 16;
    private static final int EVENT_DATA = EVENT_SIZE - 8;
    private static final int MAX_EVENTS = 64;

    private final int epfd;
    private final int events;
    private final ConcurrentHashMap<Integer, Thread> waiters = new ConcurrentHashMap<>();

    private static final class Read {
        static final Poller INSTANCE = new Poller("jsock-poller-read", Linux.EPOLLIN);
    }

    private static final class Write {
        static final Poller INSTANCE = new Poller("jsock-poller-write", Linux.EPOLLOUT);
    }

    private static volatile boolean started;

    private Poller(String name, int events) {
        this.events = events;
        this.epfd = Sys.epollCreate1(Linux.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw new IllegalStateException("epoll_create1: errno " + -epfd);
        }
        started = true;
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Parks the current (virtual) thread until {@code fd} is ready for reading or writing, at most
     * {@code nanos} ({@link Long#MAX_VALUE}: no limit), or until {@link #wake} or an interrupt.
     * False only when the time passed and the poller did not report the descriptor.
     */
    static boolean await(int fd, boolean write, long nanos) {
        return (write ? Write.INSTANCE : Read.INSTANCE).park(fd, nanos);
    }

    /** Unparks every virtual thread waiting on {@code fd}: its socket is closing. */
    static void wake(int fd) {
        if (started) {
            Read.INSTANCE.unpark(fd);
            Write.INSTANCE.unpark(fd);
        }
    }

    private boolean park(int fd, long nanos) {
        Thread me = Thread.currentThread();
        long deadline = nanos == Long.MAX_VALUE ? 0 : System.nanoTime() + nanos;
        waiters.put(fd, me);
        try {
            if (control(Linux.EPOLL_CTL_ADD, fd) == -Linux.EEXIST && control(Linux.EPOLL_CTL_MOD, fd) < 0) {
                return true; // not watchable (closed under us): the caller's next attempt says why
            }
            // the poller (or wake) takes the entry away when it unparks us: until then a return of park is spurious
            while (waiters.get(fd) == me && !me.isInterrupted()) {
                if (nanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
            return true;
        } finally {
            waiters.remove(fd, me);
            control(Linux.EPOLL_CTL_DEL, fd);
        }
    }

    private void unpark(int fd) {
        Thread t = waiters.remove(fd);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private int control(int op, int fd) {
        Scratch s = Scratch.acquire();
        try {
            s.control.putInt(Scratch.OPT, events | Linux.EPOLLONESHOT);
            s.control.putLong(Scratch.OPT + EVENT_DATA, fd);
            return Sys.epollCtl(epfd, op, fd, s.control, Scratch.OPT);
        } finally {
            s.release();
        }
    }

    private void run() {
        Mem ready = Mem.allocate(EVENT_SIZE * MAX_EVENTS);
        while (true) {
            int n = Sys.epollWait(epfd, ready, MAX_EVENTS, -1);
            for (int i = 0; i < n; i++) {
                unpark((int) ready.getLong(i * EVENT_SIZE + EVENT_DATA));
            }
        }
    }
}
