package io.jsock.example.seqpacket;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.PeerCredentials;
import io.jsock.Shutdown;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.UnixAddress;
import io.jsock.UnixOptions;
import io.jsock.spi.AbstractSocket;

import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AF_UNIX SOCK_SEQPACKET socket over its Linux descriptor.
 *
 * <h2>How waiting and close() work together</h2>
 * The descriptor is always {@code O_NONBLOCK} in the kernel; the socket's mode (blocking, timeout,
 * non-blocking) lives here. A call first tries its system call; on {@code EAGAIN} it waits in
 * {@code poll(2)} on two descriptors: the socket, and an {@code eventfd(2)} of this socket that
 * {@link #close()} makes readable. So a close from another thread wakes every waiter at once, which
 * then throws {@code EBADF}. The alternative, {@code shutdown(SHUT_RDWR)} then {@code close(2)}, does
 * not wake a waiting {@code accept} on every kernel, and closing a descriptor another thread is about
 * to use lets the number be reused by an unrelated open in between: that thread would then read
 * someone else's file. Hence the descriptors are closed only when the last call using them has left:
 * {@link #state} counts the calls in flight, and the one that leaves last after close releases them.
 *
 * <h2>Interrupts</h2>
 * A call in a mode that may wait runs between {@code begin()} and {@code end()} of an
 * {@link AbstractInterruptibleChannel}, the JDK's own hook for {@link Thread#interrupt()}: an
 * interrupt closes this socket (which wakes the poll) and the call throws {@code EINTR}, as the
 * {@link io.jsock.Socket} javadoc says.
 */
final class SeqpacketSocket extends AbstractSocket {
    private static final byte[] EMPTY = new byte[0];
    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            UnixOptions.SO_PEERCRED, UnixOptions.SO_PASSCRED);
    private static final int CLOSED = 1;
    private static final int USER = 2;

    private final int fd;
    private final int wakeFd;
    /** Calls using the descriptors, times {@link #USER}, plus {@link #CLOSED} once closed. */
    private final AtomicInteger state = new AtomicInteger();
    private final Interruptor interruptor = new Interruptor(this);
    /** What receiving calls (recv*, accept) use; one reading thread at a time, as Socket allows. */
    private final Scratch reader = new Scratch();
    /** What sending calls (send*, connect) use; one writing thread at a time. */
    private final Scratch writer = new Scratch();

    private SeqpacketSocket(int fd, int wakeFd) {
        super(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
        this.fd = fd;
        this.wakeFd = wakeFd;
    }

    /** Takes ownership of a non-blocking socket descriptor; closes it if the socket cannot be made. */
    static SeqpacketSocket wrap(int fd) throws SocketError {
        int wake = Sys.libc().eventfd(0, Sys.EFD_NONBLOCK | Sys.EFD_CLOEXEC);
        if (wake < 0) {
            SocketError e = Sys.lastError("eventfd");
            Sys.libc().close(fd);
            throw e;
        }
        return new SeqpacketSocket(fd, wake);
    }

    // ---- connection set-up --------------------------------------------------------------

    @Override
    protected void implBind(SocketAddress address) throws SocketError {
        UnixAddress unix = (UnixAddress) address;
        ByteBuffer addr = Sys.allocate(Sys.SOCKADDR_UN_SIZE);
        int len = Sys.putSockaddr(addr, 0, unix);
        use("bind");
        try {
            if (Sys.libc().bind(fd, Sys.address(addr), len) < 0) {
                throw Sys.lastError("bind " + describe(unix));
            }
        } finally {
            release();
        }
    }

    @Override
    protected void implListen(int backlog) throws SocketError {
        use("listen");
        try {
            if (Sys.libc().listen(fd, backlog) < 0) {
                throw Sys.lastError("listen");
            }
        } finally {
            release();
        }
    }

    @Override
    protected Accepted implAccept() throws SocketError {
        Duration timeout = getTimeout();
        boolean waits = waits(timeout);
        long deadline = deadline(timeout);
        Accepted accepted = null;
        use("accept");
        try {
            if (waits) {
                interruptor.enter();
            }
            try {
                Scratch s = reader;
                while (true) {
                    s.ctl.putInt(Scratch.ADDRLEN, Sys.SOCKADDR_UN_SIZE);
                    int client = Sys.libc().accept4(fd, s.ctlAddress + Scratch.ADDR, s.ctlAddress + Scratch.ADDRLEN,
                            Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC);
                    if (client >= 0) {
                        UnixAddress peer = Sys.getSockaddr(s.ctl, Scratch.ADDR, s.ctl.getInt(Scratch.ADDRLEN));
                        accepted = new Accepted(wrap(client), peer == null ? UnixAddress.unnamed() : peer);
                        return accepted;
                    }
                    retryOrWait(s, Sys.POLLIN, timeout, deadline, "accept");
                }
            } finally {
                if (waits) {
                    try {
                        interruptor.exit(accepted != null, "accept");
                    } catch (SocketError interrupted) {
                        if (accepted != null) {
                            accepted.socket().close(); // the caller never sees it: do not leak it
                        }
                        throw interrupted;
                    }
                }
            }
        } finally {
            release();
        }
    }

    @Override
    protected void implConnect(SocketAddress address) throws SocketError {
        UnixAddress unix = (UnixAddress) address;
        String operation = "connect " + describe(unix);
        ByteBuffer addr = Sys.allocate(Sys.SOCKADDR_UN_SIZE);
        int len = Sys.putSockaddr(addr, 0, unix);
        Duration timeout = getTimeout();
        boolean waits = waits(timeout);
        long deadline = deadline(timeout);
        boolean done = false;
        use(operation);
        try {
            if (waits) {
                interruptor.enter();
            }
            try {
                long pause = 1;
                while (Sys.libc().connect(fd, Sys.address(addr), len) < 0) {
                    int errno = Sys.errno();
                    if (errno == Sys.EINTR) {
                        continue;
                    }
                    if (errno != Sys.EAGAIN || !waits) {
                        throw Sys.error(errno, operation);
                    }
                    // EAGAIN: the listener's backlog is full. Nothing polls ready for that, so wait a
                    // little (woken early by close) and try again.
                    pause(writer, pause, timeout, deadline, operation);
                    pause = Math.min(pause * 2, 20);
                }
                done = true;
            } finally {
                if (waits) {
                    interruptor.exit(done, operation);
                }
            }
        } finally {
            release();
        }
    }

    // ---- receiving ----------------------------------------------------------------------

    @Override
    protected byte[] implRecv(int bufsize) throws SocketError {
        if (bufsize == 0) {
            return EMPTY; // as CPython: recv(0) makes no system call, so no message is consumed
        }
        Scratch s = reader;
        int n = receive(s.dataAt(bufsize), bufsize, false, "recv");
        byte[] out = new byte[n];
        s.data.get(0, out);
        return out;
    }

    @Override
    protected int implRecvInto(ByteBuffer dst) throws SocketError {
        int room = dst.remaining();
        if (room == 0) {
            return 0;
        }
        int n;
        if (dst.isDirect()) {
            n = receive(Sys.address(dst) + dst.position(), room, false, "recv_into");
        } else {
            Scratch s = reader;
            n = receive(s.dataAt(room), room, false, "recv_into");
            dst.put(dst.position(), s.data, 0, n);
        }
        dst.position(dst.position() + n);
        return n;
    }

    @Override
    protected Datagram implRecvFrom(int bufsize) throws SocketError {
        Scratch s = reader;
        int n = receive(s.dataAt(bufsize), bufsize, true, "recvfrom");
        byte[] out = new byte[n];
        s.data.get(0, out);
        return new Datagram(out, s.sender());
    }

    @Override
    protected SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError {
        Scratch s = reader;
        int room = dst.remaining();
        int n;
        if (dst.isDirect()) {
            n = receive(Sys.address(dst) + dst.position(), room, true, "recvfrom_into");
        } else {
            n = receive(s.dataAt(room), room, true, "recvfrom_into");
            dst.put(dst.position(), s.data, 0, n);
        }
        dst.position(dst.position() + n);
        return s.sender();
    }

    /**
     * recv(2) or recvfrom(2) of one message into {@code len} bytes at {@code buf}, in the socket's
     * mode. A longer message is cut to {@code len} and its rest discarded by the kernel (no
     * {@code MSG_TRUNC}, which would report the untruncated length).
     */
    private int receive(long buf, int len, boolean from, String operation) throws SocketError {
        Duration timeout = getTimeout();
        boolean waits = waits(timeout);
        long deadline = deadline(timeout);
        boolean done = false;
        Scratch s = reader;
        use(operation);
        try {
            if (waits) {
                interruptor.enter();
            }
            try {
                while (true) {
                    long n;
                    if (from) {
                        s.message(buf, len, Sys.SOCKADDR_UN_SIZE);
                        n = Sys.libc().recvmsg(fd, s.ctlAddress + Scratch.MSGHDR, Sys.MSG_DONTWAIT);
                    } else {
                        n = Sys.libc().recv(fd, buf, len, Sys.MSG_DONTWAIT);
                    }
                    if (n >= 0) {
                        done = true;
                        return (int) n;
                    }
                    retryOrWait(s, Sys.POLLIN, timeout, deadline, operation);
                }
            } finally {
                if (waits) {
                    interruptor.exit(done, operation);
                }
            }
        } finally {
            release();
        }
    }

    // ---- sending ------------------------------------------------------------------------

    @Override
    protected int implSend(ByteBuffer src) throws SocketError {
        Duration timeout = getTimeout();
        return transmit(src, null, timeout, deadline(timeout), "send");
    }

    /** One message is sent whole or not at all, so sendall is one send; it still loops as CPython does. */
    @Override
    protected void implSendAll(ByteBuffer src) throws SocketError {
        Duration timeout = getTimeout();
        long deadline = deadline(timeout);
        do {
            transmit(src, null, timeout, deadline, "sendall");
        } while (src.hasRemaining());
    }

    /** sendto(2); on a connected socket Linux ignores the address, as CPython shows. */
    @Override
    protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        UnixAddress unix = (UnixAddress) address;
        Duration timeout = getTimeout();
        return transmit(src, unix, timeout, deadline(timeout), "sendto " + describe(unix));
    }

    /**
     * send(2), or sendto(2) (as sendmsg) when {@code to} is given, of the remaining bytes of {@code src} as one
     * message, in the socket's mode; {@code MSG_NOSIGNAL}, so a closed peer gives EPIPE, never SIGPIPE.
     */
    private int transmit(ByteBuffer src, UnixAddress to, Duration timeout, long deadline, String operation)
            throws SocketError {
        boolean waits = waits(timeout);
        boolean done = false;
        Scratch s = writer;
        int len = src.remaining();
        use(operation);
        try {
            if (waits) {
                interruptor.enter();
            }
            try {
                long buf;
                if (src.isDirect()) {
                    buf = Sys.address(src) + src.position();
                } else {
                    s.data(len).put(0, src, src.position(), len);
                    buf = s.dataAddress;
                }
                if (to != null) {
                    s.message(buf, len, Sys.putSockaddr(s.ctl, Scratch.ADDR, to));
                }
                while (true) {
                    long n = to == null
                            ? Sys.libc().send(fd, buf, len, Sys.MSG_DONTWAIT | Sys.MSG_NOSIGNAL)
                            : Sys.libc().sendmsg(fd, s.ctlAddress + Scratch.MSGHDR, Sys.MSG_DONTWAIT | Sys.MSG_NOSIGNAL);
                    if (n >= 0) {
                        src.position(src.position() + (int) n);
                        done = true;
                        return (int) n;
                    }
                    retryOrWait(s, Sys.POLLOUT, timeout, deadline, operation);
                }
            } finally {
                if (waits) {
                    interruptor.exit(done, operation);
                }
            }
        } finally {
            release();
        }
    }

    // ---- the rest -----------------------------------------------------------------------

    /** shutdown(2). Linux accepts it on an unconnected AF_UNIX socket, and so does this, as CPython shows. */
    @Override
    protected void implShutdown(Shutdown how) throws SocketError {
        use("shutdown");
        try {
            if (Sys.libc().shutdown(fd, shutHow(how)) < 0) {
                throw Sys.lastError("shutdown " + how);
            }
        } finally {
            release();
        }
    }

    /** {@code SHUT_RD} 0, {@code SHUT_WR} 1, {@code SHUT_RDWR} 2, as {@code <sys/socket.h>} numbers them. */
    private static int shutHow(Shutdown how) {
        switch (how) {
            case SHUT_RD:
                return 0;
            case SHUT_WR:
                return 1;
            default:
                return 2;
        }
    }

    /** Nothing to tell the kernel: the descriptor stays non-blocking and the mode is read per call. */
    @Override
    protected void implSetTimeout(Duration timeout) {
    }

    @Override
    protected SocketAddress implGetPeerName() throws SocketError {
        return name(true);
    }

    @Override
    protected SocketAddress implGetSockName() throws SocketError {
        return name(false);
    }

    private SocketAddress name(boolean peer) throws SocketError {
        String operation = peer ? "getpeername" : "getsockname";
        ByteBuffer b = Sys.allocate(Scratch.CTL_SIZE);
        long a = Sys.address(b);
        b.putInt(Scratch.ADDRLEN, Sys.SOCKADDR_UN_SIZE);
        use(operation);
        try {
            int r = peer ? Sys.libc().getpeername(fd, a + Scratch.ADDR, a + Scratch.ADDRLEN)
                    : Sys.libc().getsockname(fd, a + Scratch.ADDR, a + Scratch.ADDRLEN);
            if (r < 0) {
                throw Sys.lastError(operation);
            }
        } finally {
            release();
        }
        UnixAddress address = Sys.getSockaddr(b, Scratch.ADDR, b.getInt(Scratch.ADDRLEN));
        return address == null ? UnixAddress.unnamed() : address;
    }

    /** The kernel's descriptor (always {@code O_NONBLOCK}: the mode is kept by this socket). */
    @Override
    protected int implFileno() {
        return fd;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    protected <T> void implSetOption(SocketOption<T> option, T value) throws SocketError {
        int name = optionName(option);
        int v;
        if (value instanceof Integer i) {
            v = i;
        } else if (value instanceof Boolean flag) {
            v = flag ? 1 : 0;
        } else {
            // SO_PEERCRED is read-only: Linux answers setsockopt of it with ENOPROTOOPT
            throw Sys.error(Errno.ENOPROTOOPT.code(), "setsockopt " + option.name());
        }
        ByteBuffer b = Sys.allocate(4);
        b.putInt(0, v);
        use("setsockopt " + option.name());
        try {
            if (Sys.libc().setsockopt(fd, Sys.SOL_SOCKET, name, Sys.address(b), 4) < 0) {
                throw Sys.lastError("setsockopt " + option.name());
            }
        } finally {
            release();
        }
    }

    @Override
    protected <T> T implGetOption(SocketOption<T> option) throws SocketError {
        int name = optionName(option);
        ByteBuffer b = Sys.allocate(16);
        long a = Sys.address(b);
        b.putInt(12, 12);
        use("getsockopt " + option.name());
        try {
            if (Sys.libc().getsockopt(fd, Sys.SOL_SOCKET, name, a, a + 12) < 0) {
                throw Sys.lastError("getsockopt " + option.name());
            }
        } finally {
            release();
        }
        Object value;
        if (option == UnixOptions.SO_PEERCRED) {
            value = new PeerCredentials(b.getInt(0), b.getInt(4), b.getInt(8)); // struct ucred { pid_t, uid_t, gid_t }
        } else if (option.type() == Boolean.class) {
            value = b.getInt(0) != 0;
        } else {
            value = b.getInt(0);
        }
        return option.type().cast(value);
    }

    private static int optionName(SocketOption<?> option) {
        if (option == StandardSocketOptions.SO_RCVBUF) {
            return Sys.SO_RCVBUF;
        }
        if (option == StandardSocketOptions.SO_SNDBUF) {
            return Sys.SO_SNDBUF;
        }
        if (option == UnixOptions.SO_PASSCRED) {
            return Sys.SO_PASSCRED;
        }
        return Sys.SO_PEERCRED; // AbstractSocket lets only OPTIONS through
    }

    /**
     * Marks the socket closed (no new call starts), wakes every waiting call through the eventfd,
     * and closes the descriptors now or, if calls are in flight, when the last of them leaves.
     */
    @Override
    protected void implClose() {
        // take a use while waking, so the eventfd cannot be closed (and its number reused) under us
        state.getAndAdd(USER | CLOSED);
        ByteBuffer one = Sys.allocate(8);
        one.putLong(0, 1L);
        Sys.libc().write(wakeFd, Sys.address(one), 8); // cannot fail short of a full counter, which 1 per socket never reaches
        release();
    }

    // ---- descriptor lifetime and waiting ------------------------------------------------

    private void use(String operation) throws SocketError {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw closedError(operation);
            }
            if (state.compareAndSet(s, s + USER)) {
                return;
            }
        }
    }

    private void release() {
        if (state.addAndGet(-USER) == CLOSED) {
            // close(2) of a socket and an eventfd reports nothing a caller could act on; Linux frees
            // the descriptor even when it returns EINTR, so it is never retried
            Sys.libc().close(fd);
            Sys.libc().close(wakeFd);
        }
    }

    private static boolean waits(Duration timeout) {
        return timeout == null || !timeout.isZero();
    }

    /** {@code System.nanoTime()} by which a timeout-mode call must end; 0 when there is no timeout. */
    private static long deadline(Duration timeout) {
        return timeout == null || timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
    }

    /**
     * After a failed call: returns to retry on EINTR, waits for {@code events} (or throws the
     * timeout, or EBADF when closed meanwhile) on EAGAIN in a waiting mode, and throws the call's
     * error otherwise.
     */
    private void retryOrWait(Scratch s, short events, Duration timeout, long deadline, String operation) throws SocketError {
        int errno = Sys.errno();
        if (errno == Sys.EINTR) {
            return;
        }
        if (errno != Sys.EAGAIN || !waits(timeout)) {
            throw Sys.error(errno, operation);
        }
        poll(s, fd, events, timeout == null ? -1 : millisLeft(deadline, operation), operation);
    }

    /** Waits up to {@code millis} (or the deadline, if sooner) for nothing but close; for retries. */
    private void pause(Scratch s, long millis, Duration timeout, long deadline, String operation) throws SocketError {
        int wait = (int) millis;
        if (timeout != null) {
            wait = Math.min(wait, millisLeft(deadline, operation));
        }
        poll(s, -1, (short) 0, wait, operation);
    }

    private static int millisLeft(long deadline, String operation) throws SocketError {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timeoutError(operation);
        }
        return (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
    }

    /**
     * poll(2) on {@code socket} (the descriptor, or -1 to wait for close alone) for {@code events}
     * and on the eventfd; returns when either is ready or {@code millis} passed (-1: no limit). The
     * caller retries its call, which reports the timeout, the error or the data. Throws EBADF when
     * close woke it.
     */
    private void poll(Scratch s, int socket, short events, int millis, String operation) throws SocketError {
        ByteBuffer p = s.ctl;
        p.putInt(0, socket).putShort(4, events).putShort(6, (short) 0);
        p.putInt(8, wakeFd).putShort(12, Sys.POLLIN).putShort(14, (short) 0);
        int r = Sys.libc().poll(s.ctlAddress, 2, millis);
        if (r < 0 && Sys.errno() != Sys.EINTR) {
            throw Sys.lastError(operation + " (poll)");
        }
        if (isClosed() || p.getShort(14) != 0) {
            throw closedError(operation);
        }
    }

    /**
     * Native memory a call needs besides its data: two {@code struct pollfd} (socket, eventfd), a
     * {@code struct sockaddr_un} and its {@code socklen_t}, and a data buffer for heap buffers,
     * grown to the largest message asked for.
     */
    private static final class Scratch {
        static final int ADDRLEN = 16;
        static final int ADDR = 24;
        static final int MSGHDR = ADDR + Sys.SOCKADDR_UN_SIZE + 2;
        static final int IOVEC = MSGHDR + Sys.MSGHDR_SIZE;
        static final int CTL_SIZE = IOVEC + Sys.IOVEC_SIZE;

        final ByteBuffer ctl = Sys.allocate(CTL_SIZE);
        final long ctlAddress = Sys.address(ctl);

        /** Fills the msghdr for one buffer and the sockaddr at {@link #ADDR} of {@code nameLength} bytes. */
        void message(long buf, int len, int nameLength) {
            ctl.putLong(IOVEC, buf).putLong(IOVEC + 8, len);
            ctl.putLong(MSGHDR + Sys.MSG_NAME, ctlAddress + ADDR).putInt(MSGHDR + Sys.MSG_NAMELEN, nameLength)
                    .putLong(MSGHDR + Sys.MSG_IOV, ctlAddress + IOVEC).putLong(MSGHDR + Sys.MSG_IOVLEN, 1)
                    .putLong(MSGHDR + 32, 0).putLong(MSGHDR + 40, 0).putInt(MSGHDR + 48, 0);
        }

        /** The sender recvmsg reported, or null when it gave none. */
        UnixAddress sender() {
            return Sys.getSockaddr(ctl, ADDR, ctl.getInt(MSGHDR + Sys.MSG_NAMELEN));
        }
        ByteBuffer data;
        long dataAddress;

        /** The data buffer, at least {@code size} bytes. */
        ByteBuffer data(int size) {
            if (data == null || data.capacity() < size) {
                data = Sys.allocate(Math.max(size, 4096));
                dataAddress = Sys.address(data);
            }
            return data;
        }

        /** The native address of the data buffer, at least {@code size} bytes. */
        long dataAt(int size) {
            data(size);
            return dataAddress;
        }
    }

    /** Routes Thread.interrupt() to close(), through the JDK's hook for interruptible I/O. */
    private static final class Interruptor extends AbstractInterruptibleChannel {
        private final SeqpacketSocket socket;

        Interruptor(SeqpacketSocket socket) {
            this.socket = socket;
        }

        void enter() {
            begin();
        }

        void exit(boolean completed, String operation) throws SocketError {
            try {
                end(completed);
            } catch (ClosedByInterruptException e) {
                throw new SocketError(Errno.EINTR, operation + ": Interrupted system call (the thread was interrupted, "
                        + "which closed the socket)", e);
            } catch (AsynchronousCloseException e) {
                throw new SocketError(Errno.EBADF, operation + ": Bad file descriptor (socket closed by an interrupt "
                        + "in another thread)", e);
            }
        }

        @Override
        protected void implCloseChannel() {
            socket.close();
        }
    }
}
