package io.jsock.core;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.MulticastOptions.MulticastGroup;
import io.jsock.PeerCredentials;
import io.jsock.Shutdown;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.spi.AbstractSocket;
import io.jsock.spi.Call;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket that is a Linux descriptor and the system calls of {@link Sys}: the one socket class
 * of every built-in provider, for every family and type. The kernel decides what each type allows
 * (listen on a datagram socket: EOPNOTSUPP; send on an unconnected one: EDESTADDRREQ or ENOTCONN),
 * so errno is always the kernel's, as CPython's is.
 *
 * <p>Waiting is {@link AbstractSocket#perform}'s; this class supplies one-shot attempts and
 * {@link #awaitReady}. The descriptor is blocking in blocking mode, so a platform thread's call is
 * one system call, as CPython's is; it is {@code O_NONBLOCK} in timeout and non-blocking mode, and
 * for good once a virtual thread has waited on it, so that no virtual thread ever blocks in native
 * code: it parks in the {@link Poller} instead. A platform thread waits in poll(2).
 *
 * <p>One reading and one writing thread may work at once: each side has its lock and its attempt.
 * Heap data goes through the thread's {@link Scratch} in pieces of at most {@link Scratch#DATA_CAP}.
 */
public final class NativeSocket extends AbstractSocket {
    private static final byte[] EMPTY = new byte[0];
    /** Longest park between two tries of an AF_UNIX connect to a full backlog, which epoll cannot watch. */
    private static final long CONNECT_BACKOFF_MAX_NANOS = 50_000_000;

    private final Fd fd;
    private final int fdNumber;
    private final boolean stream;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Reader reader = new Reader();
    private final Writer writer = new Writer();
    private final Object modeLock = new Object();
    /** The descriptor's O_NONBLOCK, as this class last set it. */
    private boolean fdNonBlocking;
    /** A virtual thread waited on the descriptor: it stays O_NONBLOCK. */
    private volatile boolean virtualized;

    private NativeSocket(AddressFamily family, SocketType type, int proto, int fd) {
        super(family, type, proto);
        this.fd = new Fd(fd);
        this.fdNumber = fd;
        this.stream = type == SocketType.SOCK_STREAM;
    }

    /**
     * socket(2) with {@code SOCK_CLOEXEC}: a new socket in blocking mode. Where no system-call backend
     * loads, ELIBACC, EPERM, EOPNOTSUPP or EINVAL, the message naming what to set ({@code -Djsock.backend}, a flag).
     */
    public static NativeSocket open(AddressFamily family, SocketType type, int proto) throws SocketError {
        if (!Sys.available()) {
            throw Sys.unavailable("socket(" + family + ", " + type + ", " + proto + ")");
        }
        int fd = Sys.socket(family.value(), type.value() | Linux.SOCK_CLOEXEC, proto);
        if (fd < 0) {
            throw error("socket(" + family + ", " + type + ", " + proto + ")", null, -fd);
        }
        return new NativeSocket(family, type, proto, fd);
    }

    /** socketpair(2) with {@code SOCK_CLOEXEC}: two connected sockets in blocking mode; fails as {@link #open} does. */
    public static SocketPair openPair(AddressFamily family, SocketType type, int proto) throws SocketError {
        if (!Sys.available()) {
            throw Sys.unavailable("socketpair(" + family + ", " + type + ", " + proto + ")");
        }
        Scratch s = Scratch.acquire();
        int first;
        int second;
        try {
            int r = Sys.socketpair(family.value(), type.value() | Linux.SOCK_CLOEXEC, proto, s.control);
            if (r < 0) {
                throw error("socketpair(" + family + ", " + type + ", " + proto + ")", null, -r);
            }
            first = s.control.getInt(0);
            second = s.control.getInt(4);
        } finally {
            s.release();
        }
        return new SocketPair(new NativeSocket(family, type, proto, first), new NativeSocket(family, type, proto, second));
    }

    /** The backend the system is called through: "jffi" or "ffm" ("none" when neither loads: then every open says why). */
    public static String backend() {
        return Sys.backend();
    }

    // ---- connection set-up ----------------------------------------------------------------

    @Override
    protected void implBind(SocketAddress address) throws SocketError {
        if (!fd.enter()) {
            throw closedError("bind");
        }
        Scratch s = Scratch.acquire();
        int r;
        try {
            int length = SockAddr.encode(address, s.control, Scratch.ADDR);
            r = Sys.bind(fdNumber, s.control, Scratch.ADDR, length);
        } finally {
            s.release();
            fd.leave();
        }
        if (r < 0) {
            throw error("bind", address, -r);
        }
    }

    @Override
    protected void implListen(int backlog) throws SocketError {
        if (!fd.enter()) {
            throw closedError("listen");
        }
        int r;
        try {
            r = Sys.listen(fdNumber, backlog);
        } finally {
            fd.leave();
        }
        if (r < 0) {
            throw error("listen", null, -r);
        }
    }

    @Override
    protected Accepted implAccept() throws SocketError {
        readLock.lock();
        try {
            prepare();
            reader.set(Call.ACCEPT, null, 0, 0);
            int newFd = (int) perform(Call.ACCEPT, null, reader);
            return new Accepted(new NativeSocket(family(), type(), proto(), newFd), reader.from);
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected void implConnect(SocketAddress address) throws SocketError {
        writeLock.lock();
        try {
            boolean unixStream = family() == AddressFamily.AF_UNIX && type() != SocketType.SOCK_DGRAM;
            boolean wasBlocking = false;
            if (unixStream && timeoutNanos() == BLOCKING) {
                // connect(2) to a full AF_UNIX backlog waits in the kernel where no close reaches it:
                // try it non-blocking and back off between tries instead
                wasBlocking = setNonBlocking(true);
            } else {
                prepare();
            }
            try {
                writer.set(Call.CONNECT, null, 0, address);
                perform(Call.CONNECT, address, writer);
            } finally {
                if (wasBlocking && fd.isOpen()) {
                    setNonBlocking(false);
                }
            }
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    @Override
    protected void implShutdown(Shutdown how) throws SocketError {
        if (!fd.enter()) {
            throw closedError("shutdown");
        }
        int r;
        try {
            r = Sys.shutdown(fdNumber, how.ordinal());
        } finally {
            fd.leave();
        }
        if (r < 0) {
            throw error("shutdown", null, -r);
        }
    }

    // ---- receiving ------------------------------------------------------------------------

    @Override
    protected byte[] implRecv(int bufsize) throws SocketError {
        if (bufsize == 0) {
            return EMPTY; // as CPython: recv(0) asks the kernel nothing
        }
        readLock.lock();
        try {
            prepare();
            reader.set(Call.RECV, null, bufsize, 0);
            perform(Call.RECV, null, reader);
            return reader.data;
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected int implRecvInto(ByteBuffer dst) throws SocketError {
        if (!dst.hasRemaining()) {
            return 0;
        }
        readLock.lock();
        try {
            prepare();
            reader.set(Call.RECV_INTO, dst, dst.remaining(), 0);
            return (int) perform(Call.RECV_INTO, null, reader);
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected Datagram implRecvFrom(int bufsize) throws SocketError {
        readLock.lock();
        try {
            prepare();
            reader.set(Call.RECVFROM, null, bufsize, 0);
            perform(Call.RECVFROM, null, reader);
            return new Datagram(reader.data, reader.from);
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError {
        readLock.lock();
        try {
            prepare();
            reader.set(Call.RECVFROM_INTO, dst, dst.remaining(), 0);
            perform(Call.RECVFROM_INTO, null, reader);
            return reader.from;
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    // ---- sending --------------------------------------------------------------------------

    @Override
    protected int implSend(ByteBuffer src) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.set(Call.SEND, src, 0, null);
            if (!stream || timeoutNanos() != BLOCKING) {
                return (int) perform(Call.SEND, null, writer);
            }
            // a blocking send(2) on a stream returns once all of it is queued: so does one sent in pieces
            int start = src.position();
            try {
                do {
                    perform(Call.SEND, null, writer);
                } while (src.hasRemaining());
            } catch (SocketError e) {
                if (src.position() == start) {
                    throw e;
                }
            }
            return src.position() - start;
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    @Override
    protected void implSendAll(ByteBuffer src) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.set(Call.SENDALL, src, 0, null);
            sendAllFrom(src);
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    /** Sends until {@code src} is empty; in timeout mode the timeout covers the whole call, as in Python 3.5+. */
    private void sendAllFrom(ByteBuffer src) throws SocketError {
        long timeout = timeoutNanos();
        if (timeout <= 0) {
            do {
                perform(Call.SENDALL, null, writer);
            } while (src.hasRemaining());
            return;
        }
        long start = System.nanoTime();
        do {
            perform(Call.SENDALL, null, writer, Math.max(1, timeout - (System.nanoTime() - start)));
        } while (src.hasRemaining());
    }

    @Override
    protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.set(Call.SENDTO, src, 0, address);
            return (int) perform(Call.SENDTO, address, writer);
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    // ---- the attempts ---------------------------------------------------------------------

    /** The read side's one-shot attempt: recv, recvfrom or accept; guarded by the read lock. */
    private final class Reader implements Attempt {
        Call call;
        ByteBuffer dst;
        int want;
        byte[] data;
        SocketAddress from;
        final SockAddr.Cache senders = new SockAddr.Cache();

        void set(Call call, ByteBuffer dst, int want, int unused) {
            this.call = call;
            this.dst = dst;
            this.want = want;
            this.data = EMPTY;
            this.from = null;
        }

        void clear() {
            dst = null;
            data = null;
            from = null;
        }

        @Override
        public long attempt() {
            if (!fd.enter()) {
                return -Linux.EBADF;
            }
            Scratch s = Scratch.acquire();
            try {
                return call == Call.ACCEPT ? accept(s) : receive(s);
            } finally {
                s.release();
                fd.leave();
            }
        }

        private long accept(Scratch s) {
            s.control.putInt(Scratch.ADDR_LEN, SockAddr.STORAGE);
            int r = Sys.accept4(fdNumber, s.control, Scratch.ADDR, Scratch.ADDR_LEN, Linux.SOCK_CLOEXEC);
            if (r >= 0) {
                from = SockAddr.decode(s.control, Scratch.ADDR, s.control.getInt(Scratch.ADDR_LEN));
            }
            return r;
        }

        private long receive(Scratch s) {
            boolean withAddress = call == Call.RECVFROM || call == Call.RECVFROM_INTO;
            if (dst != null && dst.isDirect()) {
                long n = recv(s, dst, null, dst.position(), want, withAddress);
                if (n >= 0) {
                    dst.position(dst.position() + (int) n);
                }
                return n;
            }
            int size = want;
            Mem mem;
            if (size <= Scratch.DATA_CAP) {
                mem = s.data(size);
            } else if (stream) {
                size = Scratch.DATA_CAP; // a stream may return less than asked: what is there, in pieces
                mem = s.data(size);
            } else {
                // a datagram bigger than the scratch: learn its length, and take no more memory than that
                long length = Sys.recv(fdNumber, s.data(1), 0, 0, Linux.MSG_PEEK | Linux.MSG_TRUNC);
                if (length < 0) {
                    return length;
                }
                size = (int) Math.min(size, Math.max(length, 0));
                mem = size <= Scratch.DATA_CAP ? s.data(size) : Mem.allocate(size);
            }
            long n = recv(s, null, mem, 0, size, withAddress);
            if (n > 0) {
                if (dst != null) {
                    mem.get(0, dst, (int) n);
                } else {
                    data = new byte[(int) n];
                    mem.get(0, data, 0, (int) n);
                }
            }
            return n;
        }

        private long recv(Scratch s, ByteBuffer direct, Mem mem, int offset, int length, boolean withAddress) {
            if (!withAddress) {
                return direct != null ? Sys.recv(fdNumber, direct, offset, length, 0) : Sys.recv(fdNumber, mem, offset, length, 0);
            }
            s.control.putInt(Scratch.ADDR_LEN, SockAddr.STORAGE);
            long n = direct != null
                    ? Sys.recvfrom(fdNumber, direct, offset, length, 0, s.control, Scratch.ADDR, Scratch.ADDR_LEN)
                    : Sys.recvfrom(fdNumber, mem, offset, length, 0, s.control, Scratch.ADDR, Scratch.ADDR_LEN);
            if (n >= 0) {
                from = senders.decode(s.control, Scratch.ADDR, s.control.getInt(Scratch.ADDR_LEN));
            }
            return n;
        }
    }

    /** The write side's one-shot attempt: send, sendto or connect; guarded by the write lock. */
    private final class Writer implements Attempt {
        Call call;
        ByteBuffer src;
        SocketAddress to;
        /** A connect(2) is under way: later tries ask SO_ERROR instead of connecting again. */
        boolean connecting;

        void set(Call call, ByteBuffer src, int unused, SocketAddress to) {
            this.call = call;
            this.src = src;
            this.to = to;
            this.connecting = false;
        }

        void clear() {
            src = null;
            to = null;
        }

        @Override
        public long attempt() throws SocketError {
            if (!fd.enter()) {
                return -Linux.EBADF;
            }
            Scratch s = Scratch.acquire();
            try {
                return call == Call.CONNECT ? connect(s) : transmit(s);
            } finally {
                s.release();
                fd.leave();
            }
        }

        private long connect(Scratch s) throws SocketError {
            if (connecting) {
                return connectResult(s);
            }
            int length = SockAddr.encode(to, s.control, Scratch.TO_ADDR);
            int r = Sys.connect(fdNumber, s.control, Scratch.TO_ADDR, length);
            if (r == -Linux.EINPROGRESS || r == -Linux.EINTR) {
                connecting = timeoutNanos() != 0; // a non-blocking caller calls connect again itself
            } else if (r == -Linux.EAGAIN && timeoutNanos() > 0) {
                // as CPython: an AF_UNIX backlog that is full is EAGAIN in timeout mode
                throw error("connect", to, Linux.EAGAIN);
            }
            return r;
        }

        /** After poll(2) said writable: the connect's outcome, or EAGAIN while it is still under way. */
        private long connectResult(Scratch s) {
            s.control.putInt(Scratch.OPT_LEN, 4);
            int r = Sys.getsockopt(fdNumber, Linux.SOL_SOCKET, Linux.SO_ERROR, s.control, Scratch.OPT, Scratch.OPT_LEN);
            if (r < 0) {
                return r;
            }
            int error = s.control.getInt(Scratch.OPT);
            if (error != 0) {
                return -error;
            }
            s.control.putInt(Scratch.ADDR_LEN, SockAddr.STORAGE);
            r = Sys.getpeername(fdNumber, s.control, Scratch.ADDR, Scratch.ADDR_LEN);
            return r == -Linux.ENOTCONN ? -Linux.EAGAIN : r;
        }

        private long transmit(Scratch s) {
            int length = src.remaining();
            int toLength = 0;
            if (to != null) {
                toLength = SockAddr.encode(to, s.control, Scratch.TO_ADDR);
            }
            long n;
            if (src.isDirect()) {
                n = send(s, src, null, src.position(), length, toLength);
            } else {
                int piece = stream ? Math.min(length, Scratch.DATA_CAP) : length;
                Mem mem = piece <= Scratch.DATA_CAP ? s.data(piece) : Mem.allocate(piece);
                mem.put(0, src, piece);
                n = send(s, null, mem, 0, piece, toLength);
            }
            if (n > 0) {
                src.position(src.position() + (int) n);
            }
            return n;
        }

        private long send(Scratch s, ByteBuffer direct, Mem mem, int offset, int length, int toLength) {
            if (toLength == 0) {
                return direct != null ? Sys.send(fdNumber, direct, offset, length, Linux.MSG_NOSIGNAL)
                        : Sys.send(fdNumber, mem, offset, length, Linux.MSG_NOSIGNAL);
            }
            return direct != null
                    ? Sys.sendto(fdNumber, direct, offset, length, Linux.MSG_NOSIGNAL, s.control, Scratch.TO_ADDR, toLength)
                    : Sys.sendto(fdNumber, mem, offset, length, Linux.MSG_NOSIGNAL, s.control, Scratch.TO_ADDR, toLength);
        }
    }

    // ---- waiting and the mode -------------------------------------------------------------

    @Override
    protected void awaitReady(Call call, long nanos) {
        if (call == Call.CONNECT && family() == AddressFamily.AF_UNIX) {
            // nothing signals room in a listener's backlog: back off and try again
            LockSupport.parkNanos(this, Math.min(nanos, CONNECT_BACKOFF_MAX_NANOS));
            return;
        }
        if (!fd.enter()) {
            return;
        }
        try {
            if (Threads.isVirtual()) {
                Poller.await(fdNumber, call.direction() == Call.Direction.WRITE, nanos);
            } else {
                poll(call.direction() == Call.Direction.WRITE ? Linux.POLLOUT : Linux.POLLIN, nanos);
            }
        } finally {
            fd.leave();
        }
    }

    private void poll(short events, long nanos) {
        int millis = nanos == Long.MAX_VALUE ? -1 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
        Scratch s = Scratch.acquire();
        try {
            s.control.putInt(Scratch.POLLFD, fdNumber);
            s.control.putShort(Scratch.POLLFD + 4, events);
            s.control.putShort(Scratch.POLLFD + 6, (short) 0);
            Sys.poll(s.control, Scratch.POLLFD, 1, millis); // EINTR or not, the caller tries again
        } finally {
            s.release();
        }
    }

    /** Before a call that may wait: a virtual thread must find the descriptor O_NONBLOCK. */
    private void prepare() throws SocketError {
        if (!virtualized && timeoutNanos() == BLOCKING && Threads.isVirtual()) {
            synchronized (modeLock) {
                virtualized = true;
                setNonBlocking(true);
            }
        }
    }

    @Override
    protected void implSetTimeout(Duration timeout) throws SocketError {
        setNonBlocking(timeout != null || virtualized);
    }

    /** Sets the descriptor's O_NONBLOCK; returns whether it was blocking before. */
    private boolean setNonBlocking(boolean nonBlocking) throws SocketError {
        synchronized (modeLock) {
            boolean wasBlocking = !fdNonBlocking;
            if (nonBlocking == fdNonBlocking) {
                return wasBlocking;
            }
            if (!fd.enter()) {
                throw closedError("settimeout");
            }
            int r;
            try {
                r = Sys.fcntl(fdNumber, Linux.F_GETFL, 0);
                if (r >= 0) {
                    r = Sys.fcntl(fdNumber, Linux.F_SETFL, nonBlocking ? r | Linux.O_NONBLOCK : r & ~Linux.O_NONBLOCK);
                }
            } finally {
                fd.leave();
            }
            if (r < 0) {
                throw error("fcntl(O_NONBLOCK)", null, -r);
            }
            fdNonBlocking = nonBlocking;
            return wasBlocking;
        }
    }

    // ---- names, options, descriptor -------------------------------------------------------

    @Override
    protected SocketAddress implGetPeerName() throws SocketError {
        return name(false);
    }

    @Override
    protected SocketAddress implGetSockName() throws SocketError {
        return name(true);
    }

    private SocketAddress name(boolean local) throws SocketError {
        String what = local ? "getsockname" : "getpeername";
        if (!fd.enter()) {
            throw closedError(what);
        }
        Scratch s = Scratch.acquire();
        try {
            s.control.putInt(Scratch.ADDR_LEN, SockAddr.STORAGE);
            int r = local ? Sys.getsockname(fdNumber, s.control, Scratch.ADDR, Scratch.ADDR_LEN)
                    : Sys.getpeername(fdNumber, s.control, Scratch.ADDR, Scratch.ADDR_LEN);
            if (r < 0) {
                throw error(what, null, -r);
            }
            return SockAddr.decode(s.control, Scratch.ADDR, s.control.getInt(Scratch.ADDR_LEN));
        } finally {
            s.release();
            fd.leave();
        }
    }

    @Override
    protected int implFileno() {
        return fd.isOpen() ? fdNumber : -1;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Options.supported(family(), type());
    }

    @Override
    protected <T> void implSetOption(SocketOption<T> option, T value) throws SocketError {
        String what = "setsockopt " + option.name();
        Options.Spec spec = Options.spec(option, family());
        if (spec.shape() == Options.Shape.UCRED) {
            throw SocketError.of(Errno.ENOPROTOOPT, what + " (read-only)"); // setsockopt(2) answers the same
        }
        int level = spec.level();
        int name = spec.name();
        if (!fd.enter()) {
            throw closedError(what);
        }
        Scratch s = Scratch.acquire();
        int r;
        try {
            Mem m = s.control;
            int length = 4;
            switch (spec.shape()) {
                case FLAG:
                    m.putInt(Scratch.OPT, (Boolean) value ? 1 : 0);
                    break;
                case INT: {
                    int n = (Integer) value;
                    if (n < 0 && (option == StandardSocketOptions.SO_RCVBUF || option == StandardSocketOptions.SO_SNDBUF)) {
                        throw new IllegalArgumentException("value for " + option.name() + " must not be negative, got " + n);
                    }
                    m.putInt(Scratch.OPT, n);
                    break;
                }
                case LINGER: {
                    int seconds = (Integer) value;
                    m.putInt(Scratch.OPT, seconds < 0 ? 0 : 1);
                    m.putInt(Scratch.OPT + 4, Math.max(seconds, 0));
                    length = 8;
                    break;
                }
                case INTERFACE:
                    length = putInterface(m, (NetworkInterface) value);
                    break;
                case MEMBERSHIP: {
                    MulticastGroup group = (MulticastGroup) value;
                    boolean join = name == 0;
                    if (group.group() instanceof Inet4Address) {
                        level = Linux.IPPROTO_IP;
                        name = join ? Linux.IP_ADD_MEMBERSHIP : Linux.IP_DROP_MEMBERSHIP;
                        m.put(Scratch.OPT, group.group().getAddress(), 0, 4); // struct ip_mreqn
                        m.putInt(Scratch.OPT + 4, 0);
                        m.putInt(Scratch.OPT + 8, group.networkInterface().getIndex());
                        length = 12;
                    } else {
                        level = Linux.IPPROTO_IPV6;
                        name = join ? Linux.IPV6_ADD_MEMBERSHIP : Linux.IPV6_DROP_MEMBERSHIP;
                        m.put(Scratch.OPT, group.group().getAddress(), 0, 16); // struct ipv6_mreq
                        m.putInt(Scratch.OPT + 16, group.networkInterface().getIndex());
                        length = 20;
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("shape " + spec.shape());
            }
            r = Sys.setsockopt(fdNumber, level, name, m, Scratch.OPT, length);
        } finally {
            s.release();
            fd.leave();
        }
        if (r < 0) {
            throw error(what, null, -r);
        }
    }

    @Override
    protected void implSetOption(int level, int optname, byte[] value) throws SocketError {
        if (!fd.enter()) {
            throw closedError("setsockopt");
        }
        Scratch s = Scratch.acquire();
        int r;
        try {
            Mem m = value.length <= Scratch.OPT_SIZE ? s.control : Mem.allocate(value.length);
            int at = m == s.control ? Scratch.OPT : 0;
            m.put(at, value, 0, value.length);
            r = Sys.setsockopt(fdNumber, level, optname, m, at, value.length);
        } finally {
            s.release();
            fd.leave();
        }
        if (r < 0) {
            throw error("setsockopt(" + level + ", " + optname + ")", null, -r);
        }
    }

    @Override
    protected byte[] implGetOption(int level, int optname, int buflen) throws SocketError {
        if (!fd.enter()) {
            throw closedError("getsockopt");
        }
        try {
            Mem m = Mem.allocate(buflen + 4); // the value, then its socklen_t
            m.putInt(buflen, buflen);
            int r = Sys.getsockopt(fdNumber, level, optname, m, 0, buflen);
            if (r < 0) {
                throw error("getsockopt(" + level + ", " + optname + ")", null, -r);
            }
            byte[] value = new byte[Math.min(buflen, m.getInt(buflen))];
            m.get(0, value, 0, value.length);
            return value;
        } finally {
            fd.leave();
        }
    }

    /** IP_MULTICAST_IF's struct ip_mreqn (by index and address) or IPV6_MULTICAST_IF's index. */
    private int putInterface(Mem m, NetworkInterface nif) {
        if (family() == AddressFamily.AF_INET6) {
            m.putInt(Scratch.OPT, nif.getIndex());
            return 4;
        }
        m.putInt(Scratch.OPT, 0);
        byte[] address = new byte[4];
        for (Enumeration<InetAddress> e = nif.getInetAddresses(); e.hasMoreElements(); ) {
            InetAddress a = e.nextElement();
            if (a instanceof Inet4Address) {
                address = a.getAddress();
                break;
            }
        }
        m.put(Scratch.OPT + 4, address, 0, 4);
        m.putInt(Scratch.OPT + 8, nif.getIndex());
        return 12;
    }

    @Override
    protected <T> T implGetOption(SocketOption<T> option) throws SocketError {
        String what = "getsockopt " + option.name();
        Options.Spec spec = Options.spec(option, family());
        if (spec.shape() == Options.Shape.MEMBERSHIP) {
            throw SocketError.of(Errno.ENOPROTOOPT, what + " (write-only)"); // getsockopt(2) answers the same
        }
        if (!fd.enter()) {
            throw closedError(what);
        }
        Scratch s = Scratch.acquire();
        try {
            Mem m = s.control;
            m.putInt(Scratch.OPT_LEN, Scratch.OPT_SIZE);
            int r = Sys.getsockopt(fdNumber, spec.level(), spec.name(), m, Scratch.OPT, Scratch.OPT_LEN);
            if (r < 0) {
                throw error(what, null, -r);
            }
            int first = m.getInt(Scratch.OPT);
            Object value;
            switch (spec.shape()) {
                case FLAG:
                    value = first != 0;
                    break;
                case INT:
                    value = first;
                    break;
                case LINGER:
                    value = first == 0 ? -1 : m.getInt(Scratch.OPT + 4);
                    break;
                case UCRED:
                    value = new PeerCredentials(Integer.toUnsignedLong(first), m.getInt(Scratch.OPT + 4), m.getInt(Scratch.OPT + 8));
                    break;
                case INTERFACE:
                    value = getInterface(m);
                    break;
                default:
                    throw new IllegalStateException("shape " + spec.shape());
            }
            return option.type().cast(value);
        } finally {
            s.release();
            fd.leave();
        }
    }

    private NetworkInterface getInterface(Mem m) throws SocketError {
        try {
            if (family() == AddressFamily.AF_INET6) {
                int index = m.getInt(Scratch.OPT);
                return index == 0 ? null : NetworkInterface.getByIndex(index);
            }
            byte[] address = new byte[4];
            m.get(Scratch.OPT, address, 0, 4);
            InetAddress a = InetAddress.getByAddress(address);
            return a.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(a);
        } catch (SocketException | UnknownHostException e) {
            throw new SocketError(Errno.ENODEV, "getsockopt IP_MULTICAST_IF: " + e.getMessage(), e);
        }
    }

    @Override
    protected void implClose() {
        fd.close();
    }

    @Override
    protected void discard(Call call, long result) {
        if (call == Call.ACCEPT) {
            Sys.close((int) result); // accepted as this socket closed: nobody will see it
        }
    }
}
