package io.jsock.core;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.spi.ReadinessProvider;
import io.jsock.spi.ReadinessSet;

/**
 * The readiness behind {@link io.jsock.Selector} and {@link io.jsock.Sockets#select}: one epoll(7)
 * instance per set, level-triggered, and an eventfd(2) in it for {@code wakeup}. Each registration's
 * {@code epoll_event.data} is the caller's token, never the descriptor number, so a number closed
 * and reused is never reported for the old registration. A platform thread waits in epoll_wait(2);
 * a virtual thread parks in the {@link Poller} on the epoll descriptor itself, which is readable
 * while anything in it is ready.
 */
public final class EpollReadiness implements ReadinessProvider {
    /** sizeof(struct epoll_event): packed on x86-64, padded to 16 elsewhere. */
    private static final int EVENT_SIZE = "amd64".equals(System.getProperty("os.arch")) ? 12 : 16;
    private static final int EVENT_DATA = EVENT_SIZE - 8;
    private static final int EPOLLPRI = 0x2;
    private static final int EPOLLERR = 0x8;
    private static final int EPOLLHUP = 0x10;
    /** The wake-up eventfd's token; the caller's start at 1. */
    private static final long WAKEUP = 0;

    /** For {@link java.util.ServiceLoader}. */
    public EpollReadiness() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public ReadinessSet open() throws SocketError {
        if (!Sys.available()) {
            throw Sys.unavailable("epoll_create1");
        }
        int epfd = Sys.epollCreate1(Linux.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw SocketError.of(errno(-epfd), "epoll_create1");
        }
        int evfd = Sys.eventfd(0, Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK);
        if (evfd < 0) {
            Sys.close(epfd);
            throw SocketError.of(errno(-evfd), "eventfd");
        }
        Set set = new Set(new Fd(epfd), new Fd(evfd));
        int r = set.control(Linux.EPOLL_CTL_ADD, evfd, Linux.EPOLLIN, WAKEUP);
        if (r < 0) {
            set.close();
            throw SocketError.of(errno(-r), "epoll_ctl(EPOLL_CTL_ADD, eventfd)");
        }
        return set;
    }

    private static Errno errno(int code) {
        Errno e = Errno.ofOrNull(code);
        return e == null ? Errno.EIO : e;
    }

    private static int epollEvents(int events) {
        return ((events & READ) != 0 ? Linux.EPOLLIN : 0) | ((events & WRITE) != 0 ? Linux.EPOLLOUT : 0)
                | ((events & PRIORITY) != 0 ? EPOLLPRI : 0);
    }

    private static final int READ = ReadinessSet.READ;
    private static final int WRITE = ReadinessSet.WRITE;
    private static final int PRIORITY = ReadinessSet.PRIORITY;

    private static final class Set implements ReadinessSet {
        private final Fd epoll;
        private final Fd wake;
        /** The eventfd counter's increment, written by every wakeup: never changed, so shared by all threads. */
        private final Mem one = Mem.allocate(8);

        Set(Fd epoll, Fd wake) {
            this.epoll = epoll;
            this.wake = wake;
            one.putLong(0, 1);
        }

        int control(int op, int fd, int events, long token) {
            if (!epoll.enter()) {
                return -Linux.EBADF;
            }
            Scratch s = Scratch.acquire();
            try {
                s.control.putInt(Scratch.OPT, events);
                s.control.putLong(Scratch.OPT + EVENT_DATA, token);
                return Sys.epollCtl(epoll.value(), op, fd, s.control, Scratch.OPT);
            } finally {
                s.release();
                epoll.leave();
            }
        }

        /** epoll_ctl on the socket's descriptor, held open meanwhile when it is one of ours. */
        private int control(int op, Socket socket, int fd, int events, long token) {
            if (socket instanceof NativeSocket n) {
                Fd own = n.descriptor();
                if (!own.enter()) {
                    return -Linux.EBADF;
                }
                try {
                    return control(op, own.value(), events, token);
                } finally {
                    own.leave();
                }
            }
            if (socket.isClosed()) {
                return -Linux.EBADF;
            }
            return control(op, fd, events, token);
        }

        @Override
        public void add(Socket socket, int fd, int events, long token) throws SocketError {
            int r = control(Linux.EPOLL_CTL_ADD, socket, fd, epollEvents(events), token);
            if (r < 0) {
                throw SocketError.of(errno(-r), "epoll_ctl(EPOLL_CTL_ADD, " + fd + ")");
            }
        }

        @Override
        public void modify(Socket socket, int fd, int events, long token) throws SocketError {
            int r = control(Linux.EPOLL_CTL_MOD, socket, fd, epollEvents(events), token);
            if (r < 0) {
                throw SocketError.of(errno(-r), "epoll_ctl(EPOLL_CTL_MOD, " + fd + ")");
            }
        }

        @Override
        public void remove(Socket socket, int fd) {
            control(Linux.EPOLL_CTL_DEL, socket, fd, 0, 0); // closed: the kernel dropped it with the last descriptor
        }

        @Override
        public int await(int maxEvents, long nanos, Sink sink) throws SocketError {
            long deadline = nanos > 0 ? System.nanoTime() + nanos : 0;
            boolean virtual = Threads.isVirtual();
            while (true) {
                int millis;
                if (nanos == 0 || virtual) {
                    millis = 0;
                } else if (nanos < 0) {
                    millis = -1;
                } else {
                    long left = deadline - System.nanoTime();
                    millis = left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                }
                int n = waitOnce(maxEvents, millis, sink);
                if (n != 0 || nanos == 0 || Thread.currentThread().isInterrupted()) {
                    return Math.max(n, 0);
                }
                long left = nanos < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                if (virtual) {
                    if (!epoll.enter()) {
                        throw SocketError.of(Errno.EBADF, "epoll_wait: the selector is closed");
                    }
                    try {
                        Poller.await(epoll.value(), false, left);
                    } finally {
                        epoll.leave();
                    }
                }
            }
        }

        /**
         * One epoll_wait(2); reports what it found and returns how many, or -1 when only the wake-up
         * (or nothing, or EINTR) came and a timed wait should go on: a wake-up ends the wait, so it
         * counts as one found here and is never reported.
         */
        private int waitOnce(int maxEvents, int millis, Sink sink) throws SocketError {
            if (!epoll.enter()) {
                throw SocketError.of(Errno.EBADF, "epoll_wait: the selector is closed");
            }
            Scratch s = Scratch.acquire();
            try {
                int max = Math.max(1, Math.min(maxEvents + 1, Scratch.DATA_CAP / EVENT_SIZE));
                Mem events = s.data(max * EVENT_SIZE);
                int n = Sys.epollWait(epoll.value(), events, max, millis);
                if (n == -Linux.EINTR) {
                    return 0;
                }
                if (n < 0) {
                    throw SocketError.of(errno(-n), "epoll_wait");
                }
                int reported = 0;
                boolean woken = false;
                for (int i = 0; i < n; i++) {
                    int ev = events.getInt(i * EVENT_SIZE);
                    long token = events.getLong(i * EVENT_SIZE + EVENT_DATA);
                    if (token == WAKEUP) {
                        woken = true;
                        drain(s);
                        continue;
                    }
                    int bits = ((ev & Linux.EPOLLIN) != 0 ? READ : 0) | ((ev & Linux.EPOLLOUT) != 0 ? WRITE : 0)
                            | ((ev & EPOLLPRI) != 0 ? PRIORITY : 0) | ((ev & EPOLLHUP) != 0 ? HANGUP : 0)
                            | ((ev & EPOLLERR) != 0 ? ERROR : 0);
                    sink.ready(token, bits);
                    reported++;
                }
                return reported > 0 ? reported : woken ? -1 : 0;
            } finally {
                s.release();
                epoll.leave();
            }
        }

        /** Reads the eventfd's counter back to 0, so the wake-up is seen once. */
        private void drain(Scratch s) {
            if (wake.enter()) {
                try {
                    Sys.read(wake.value(), s.control, Scratch.OPT, 8);
                } finally {
                    wake.leave();
                }
            }
        }

        @Override
        public void wakeup() {
            if (wake.enter()) {
                try {
                    Sys.write(wake.value(), one, 0, 8); // EAGAIN only at a counter near 2^64: woken already
                } finally {
                    wake.leave();
                }
            }
        }

        @Override
        public void close() {
            epoll.close();
            wake.close();
        }
    }
}
