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
import io.jsock.spi.Call;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An AF_UNIX SOCK_SEQPACKET socket over its Linux descriptor.
 *
 * <h2>What the SPI does for it</h2>
 * Each call that may wait is one {@link AbstractSocket#perform} of a one-shot attempt: the SPI's
 * call loop keeps the mode (blocking, timeout, non-blocking), the deadline, the retry on
 * {@code EINTR}, the timeout and close errors and the interrupt rule. This class supplies the
 * attempts (each a system call with {@code MSG_DONTWAIT} or on the {@code O_NONBLOCK} descriptor,
 * returning its result or {@code -errno}), {@link #awaitReady} (poll(2) on the descriptor) and
 * {@link #implClose} (which wakes waiters).
 *
 * <h2>How close() wakes waiters</h2>
 * Closing a descriptor another thread is about to use lets the number be reused by an unrelated
 * open in between: that thread would then read someone else's file. Hence the descriptor is closed
 * only when the last call using it has left: {@link #state} counts the calls in flight, and the
 * one that leaves last after close releases it. A close while calls are in flight first wakes them
 * with shutdown(SHUT_RDWR), which ends their poll(2).
 */
final class SeqpacketSocket extends AbstractSocket {
    private static final byte[] EMPTY = new byte[0];
    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            UnixOptions.SO_PEERCRED, UnixOptions.SO_PASSCRED);
    private static final int CLOSED = 1;
    private static final int USER = 2;
    private static final int EBADF = 9;
    /** The longest pause between two tries of a connect to a full backlog, which poll cannot watch. */
    private static final long CONNECT_PAUSE_MAX_NANOS = 20_000_000;
    /** The longest park of a virtual thread between two looks at its descriptor. */
    private static final long VIRTUAL_PAUSE_MAX_NANOS = 5_000_000;

    private final int fd;
    /** Calls using the descriptor, times {@link #USER}, plus {@link #CLOSED} once closed. */
    private final AtomicInteger state = new AtomicInteger();
    /** What receiving calls (recv*, accept) use; one reading thread at a time, as Socket allows. */
    private final Scratch reader = new Scratch();
    /** What sending calls (send*, connect) use; one writing thread at a time. */
    private final Scratch writer = new Scratch();
    /** What waiting uses (a pollfd), per direction. */
    private final Scratch readWait = new Scratch();
    private final Scratch writeWait = new Scratch();

    private SeqpacketSocket(int fd) {
        super(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
        this.fd = fd;
    }

    /** Takes ownership of a non-blocking socket descriptor. */
    static SeqpacketSocket wrap(int fd) {
        return new SeqpacketSocket(fd);
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
        Scratch s = reader;
        int client = (int) perform(Call.ACCEPT, null, () -> {
            if (!enter()) {
                return -EBADF;
            }
            try {
                s.ctl.putInt(Scratch.ADDRLEN, Sys.SOCKADDR_UN_SIZE);
                int r = Sys.libc().accept4(fd, s.ctlAddress + Scratch.ADDR, s.ctlAddress + Scratch.ADDRLEN,
                        Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC);
                return r >= 0 ? r : -Sys.errno();
            } finally {
                release();
            }
        });
        UnixAddress peer = Sys.getSockaddr(s.ctl, Scratch.ADDR, s.ctl.getInt(Scratch.ADDRLEN));
        return new Accepted(wrap(client), peer == null ? UnixAddress.unnamed() : peer);
    }

    /** An accepted descriptor nobody will see (this socket was closed meanwhile) is closed, not leaked. */
    @Override
    protected void discard(Call call, long result) {
        if (call == Call.ACCEPT) {
            Sys.libc().close((int) result);
        }
    }

    @Override
    protected void implConnect(SocketAddress address) throws SocketError {
        UnixAddress unix = (UnixAddress) address;
        ByteBuffer addr = Sys.allocate(Sys.SOCKADDR_UN_SIZE);
        int len = Sys.putSockaddr(addr, 0, unix);
        boolean timed = timeoutNanos() > 0;
        perform(Call.CONNECT, unix, () -> {
            if (!enter()) {
                return -EBADF;
            }
            try {
                if (Sys.libc().connect(fd, Sys.address(addr), len) == 0) {
                    return 0;
                }
                int errno = Sys.errno();
                if (errno == Sys.EAGAIN && timed) {
                    // as CPython: a full backlog is EAGAIN in timeout mode; blocking mode waits for room
                    throw Sys.error(errno, "connect " + describe(unix));
                }
                return -errno;
            } finally {
                release();
            }
        });
    }

    // ---- receiving ----------------------------------------------------------------------

    @Override
    protected byte[] implRecv(int bufsize) throws SocketError {
        if (bufsize == 0) {
            return EMPTY; // as CPython: recv(0) makes no system call, so no message is consumed
        }
        Scratch s = reader;
        int n = receive(s.dataAt(bufsize), bufsize, false, Call.RECV);
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
            n = receive(Sys.address(dst) + dst.position(), room, false, Call.RECV_INTO);
        } else {
            Scratch s = reader;
            n = receive(s.dataAt(room), room, false, Call.RECV_INTO);
            dst.put(dst.position(), s.data, 0, n);
        }
        dst.position(dst.position() + n);
        return n;
    }

    @Override
    protected Datagram implRecvFrom(int bufsize) throws SocketError {
        Scratch s = reader;
        int n = receive(s.dataAt(bufsize), bufsize, true, Call.RECVFROM);
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
            n = receive(Sys.address(dst) + dst.position(), room, true, Call.RECVFROM_INTO);
        } else {
            n = receive(s.dataAt(room), room, true, Call.RECVFROM_INTO);
            dst.put(dst.position(), s.data, 0, n);
        }
        dst.position(dst.position() + n);
        return s.sender();
    }

    /**
     * recv(2) or recvfrom(2) (as recvmsg) of one message into {@code len} bytes at {@code buf}. A
     * longer message is cut to {@code len} and its rest discarded by the kernel.
     */
    private int receive(long buf, int len, boolean from, Call call) throws SocketError {
        Scratch s = reader;
        return (int) perform(call, null, () -> {
            if (!enter()) {
                return -EBADF;
            }
            try {
                long n;
                if (from) {
                    s.message(buf, len, Sys.SOCKADDR_UN_SIZE);
                    n = Sys.libc().recvmsg(fd, s.ctlAddress + Scratch.MSGHDR, Sys.MSG_DONTWAIT);
                } else {
                    n = Sys.libc().recv(fd, buf, len, Sys.MSG_DONTWAIT);
                }
                return n >= 0 ? n : -Sys.errno();
            } finally {
                release();
            }
        });
    }

    // ---- sending ------------------------------------------------------------------------

    @Override
    protected int implSend(ByteBuffer src) throws SocketError {
        return transmit(src, null, Call.SEND);
    }

    /** One message is sent whole or not at all, so sendall is one send. */
    @Override
    protected void implSendAll(ByteBuffer src) throws SocketError {
        transmit(src, null, Call.SENDALL);
    }

    /** sendto(2); on a connected socket Linux ignores the address, as CPython shows. */
    @Override
    protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        return transmit(src, (UnixAddress) address, Call.SENDTO);
    }

    /**
     * send(2), or sendto(2) (as sendmsg) when {@code to} is given, of the remaining bytes of
     * {@code src} as one message; {@code MSG_NOSIGNAL}, so a closed peer gives EPIPE, never SIGPIPE.
     */
    private int transmit(ByteBuffer src, UnixAddress to, Call call) throws SocketError {
        Scratch s = writer;
        int len = src.remaining();
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
        int n = (int) perform(call, to, () -> {
            if (!enter()) {
                return -EBADF;
            }
            try {
                long r = to == null
                        ? Sys.libc().send(fd, buf, len, Sys.MSG_DONTWAIT | Sys.MSG_NOSIGNAL)
                        : Sys.libc().sendmsg(fd, s.ctlAddress + Scratch.MSGHDR, Sys.MSG_DONTWAIT | Sys.MSG_NOSIGNAL);
                return r >= 0 ? r : -Sys.errno();
            } finally {
                release();
            }
        });
        src.position(src.position() + n);
        return n;
    }

    // ---- waiting ------------------------------------------------------------------------

    /**
     * poll(2) on the descriptor for the call's direction, at most {@code nanos}; a close wakes it
     * (shutdown). A connect to a full backlog has nothing to poll for: it pauses and tries again.
     * A virtual thread must not block its carrier in poll(2), and this provider has no poller thread
     * of its own (jsock's built-in providers do): it looks without waiting and parks a little, up to
     * {@link #VIRTUAL_PAUSE_MAX_NANOS}, which costs latency but never a carrier.
     */
    @Override
    protected void awaitReady(Call call, long nanos) throws SocketError {
        if (call == Call.CONNECT) {
            LockSupport.parkNanos(this, Math.min(nanos, CONNECT_PAUSE_MAX_NANOS));
            return;
        }
        boolean virtual = isVirtual();
        long pause = 20_000;
        long start = System.nanoTime();
        do {
            int millis = virtual ? 0 : nanos == Long.MAX_VALUE ? -1 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
            if (poll(call, millis) || !virtual) {
                return; // whatever poll said, the loop tries the call again
            }
            LockSupport.parkNanos(this, Math.min(pause, nanos - (System.nanoTime() - start)));
            pause = Math.min(pause * 2, VIRTUAL_PAUSE_MAX_NANOS);
        } while (!isClosed() && System.nanoTime() - start < nanos);
    }

    /** poll(2) of the descriptor for the call's direction; true when it reported anything (or the socket is closed). */
    private boolean poll(Call call, int millis) {
        if (!enter()) {
            return true;
        }
        try {
            Scratch s = call.direction() == Call.Direction.READ ? readWait : writeWait;
            short events = call.direction() == Call.Direction.READ ? Sys.POLLIN : Sys.POLLOUT;
            s.ctl.putInt(0, fd).putShort(4, events).putShort(6, (short) 0);
            return Sys.libc().poll(s.ctlAddress, 1, millis) != 0;
        } finally {
            release();
        }
    }

    /** Thread.isVirtual() where the JVM has it (21+); this example compiles for Java 17. */
    private static boolean isVirtual() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual", e);
        }
    }

    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
            return null;
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

    /** Nothing to tell the kernel: the descriptor stays non-blocking and the mode is the SPI's. */
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
     * Marks the socket closed (no new call starts), wakes every call in flight with
     * shutdown(SHUT_RDWR), and closes the descriptor now or when the last of them leaves.
     */
    @Override
    protected void implClose() {
        // take a use while waking, so the descriptor cannot be closed (and its number reused) under us
        int before = state.getAndAdd(USER | CLOSED);
        if (before != 0) {
            Sys.libc().shutdown(fd, 2);
        }
        release();
    }

    // ---- descriptor lifetime ------------------------------------------------------------

    /** Counts a call in; false once the socket is closed. */
    private boolean enter() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + USER)) {
                return true;
            }
        }
    }

    private void use(String operation) throws SocketError {
        if (!enter()) {
            throw closedError(operation);
        }
    }

    private void release() {
        if (state.addAndGet(-USER) == CLOSED) {
            // Linux frees the descriptor even when close(2) returns EINTR, so it is never retried
            Sys.libc().close(fd);
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
}
