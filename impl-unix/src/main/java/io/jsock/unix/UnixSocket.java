package io.jsock.unix;

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

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * An AF_UNIX socket, stream or datagram: a descriptor and the system calls of {@link Native}.
 * The kernel decides what each type allows (listen on a datagram socket: EOPNOTSUPP; send on an
 * unconnected datagram socket: ENOTCONN), so one class serves both, and errno is the kernel's.
 *
 * <p>Modes: in blocking mode the descriptor is blocking and a call is one system call, as the
 * JDK's channels do; in timeout and non-blocking mode it is O_NONBLOCK, and a timeout waits in
 * poll(2). One reading and one writing thread may work at once: each side has its own scratch
 * memory (for heap buffers and addresses) and lock.
 */
final class UnixSocket extends AbstractSocket {
    /** What Linux takes on AF_UNIX at SOL_SOCKET, as CPython lets one set it; no TCP_NODELAY. */
    private static final Set<SocketOption<?>> STREAM_OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_LINGER, UnixOptions.SO_PASSCRED, UnixOptions.SO_PEERCRED);
    /** Datagram sockets leave out the connection options (keepalive, linger), which mean nothing to them. */
    private static final Set<SocketOption<?>> DATAGRAM_OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR, UnixOptions.SO_PASSCRED, UnixOptions.SO_PEERCRED);
    private static final byte[] EMPTY = new byte[0];
    /** Heap data goes through scratch memory in pieces of at most this on a stream socket. */
    private static final int STREAM_CHUNK = 1 << 20;
    /** Linux never queues a bigger datagram (it is bounded by wmem_max), so no truncation is lost. */
    private static final int MAX_DATAGRAM = 16 << 20;
    /** How long one blocking connect(2) waits for room in a full backlog before checking for close. */
    private static final long CONNECT_SLICE_MICROS = 100_000;

    private static final int RECV = 0;
    private static final int RECVFROM = 1;
    private static final int ACCEPT = 2;
    private static final int SEND = 3;
    private static final int SENDTO = 4;
    private static final int CONNECT = 5;
    private static final int TIMED_OUT = -1;

    // the control block: pollfds, sockaddrs and lengths, one area per side
    private static final int READ_POLL = 0;
    private static final int WRITE_POLL = 8;
    private static final int READ_ADDR = 16;
    private static final int READ_LEN = 128;
    private static final int WRITE_ADDR = 136;
    private static final int MISC_ADDR = 248;
    private static final int MISC_LEN = 360;
    private static final int OPT_LEN = 364;
    private static final int OPT_VALUE = 368;
    private static final int CONTROL_SIZE = 392;

    private final FdChannel channel;
    private final int fd;
    private final boolean stream;
    private final ByteBuffer control = ByteBuffer.allocateDirect(CONTROL_SIZE);
    private final long ctl = Native.address(control);
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object miscLock = new Object();
    private volatile boolean nonBlocking;

    // read side, guarded by readLock
    private ByteBuffer readScratch;
    private long readScratchAddress;
    private ByteBuffer readDirect;
    private long readDirectAddress;
    private final AddressCache fromCache = new AddressCache();
    // write side, guarded by writeLock
    private ByteBuffer writeScratch;
    private long writeScratchAddress;
    private ByteBuffer writeDirect;
    private long writeDirectAddress;
    private UnixAddress lastTo;
    private int lastToLength;

    UnixSocket(SocketType type, int fd) {
        super(AddressFamily.AF_UNIX, type, 0);
        this.fd = fd;
        this.channel = new FdChannel(fd);
        this.stream = type == SocketType.SOCK_STREAM;
        Native.putInt(ctl + READ_POLL, fd);
        Native.putInt(ctl + WRITE_POLL, fd);
    }

    // ---- connection set-up ----------------------------------------------------------------

    @Override
    protected void implBind(SocketAddress address) throws SocketError {
        UnixAddress unix = (UnixAddress) address;
        synchronized (miscLock) {
            int length = encode(ctl + MISC_ADDR, unix);
            guarded("bind", unix, () -> Native.bind(fd, ctl + MISC_ADDR, length));
        }
    }

    @Override
    protected void implListen(int backlog) throws SocketError {
        guarded("listen", () -> Native.listen(fd, backlog));
    }

    @Override
    protected Accepted implAccept() throws SocketError {
        readLock.lock();
        try {
            int newFd = (int) perform(ACCEPT, 0, 0, 0, "accept", null, deadline());
            UnixAddress peer = decode(ctl + READ_ADDR, Native.getInt(ctl + READ_LEN), fromCache);
            return new Accepted(new UnixSocket(type(), newFd), peer);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    protected void implConnect(SocketAddress address) throws SocketError {
        UnixAddress unix = (UnixAddress) address;
        writeLock.lock();
        try {
            int length = encode(ctl + WRITE_ADDR, unix);
            lastTo = null;
            boolean sliced = stream && getTimeout() == null;
            if (sliced) {
                // connect(2) to a full backlog waits for the listener's accept and no close ends that
                // wait: SO_SNDTIMEO bounds each wait, and the loop in perform() looks for a close
                setSendTimeout(CONNECT_SLICE_MICROS);
            }
            try {
                perform(CONNECT, 0, 0, length, "connect", unix, deadline());
            } finally {
                if (sliced && channel.isOpen()) {
                    setSendTimeout(0);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void setSendTimeout(long micros) throws SocketError {
        synchronized (miscLock) {
            Native.putLong(ctl + OPT_VALUE, micros / 1_000_000);
            Native.putLong(ctl + OPT_VALUE + 8, micros % 1_000_000);
            guarded("setsockopt SO_SNDTIMEO", () -> Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_SNDTIMEO, ctl + OPT_VALUE, 16));
        }
    }

    @Override
    protected void implShutdown(Shutdown how) throws SocketError {
        guarded("shutdown", () -> Native.shutdown(fd, how.ordinal()));
    }

    // ---- receiving ------------------------------------------------------------------------

    @Override
    protected byte[] implRecv(int bufsize) throws SocketError {
        if (bufsize == 0) {
            return EMPTY; // as CPython: recv(0) asks the kernel nothing
        }
        readLock.lock();
        try {
            int want = Math.min(bufsize, stream ? STREAM_CHUNK : MAX_DATAGRAM);
            long buf = readScratch(want);
            int n = (int) perform(RECV, buf, want, 0, "recv", null, deadline());
            if (n == 0) {
                return EMPTY;
            }
            byte[] data = new byte[n];
            Native.getBytes(buf, data, 0, n);
            return data;
        } finally {
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
            return (int) receiveInto(dst, RECV, "recv_into");
        } finally {
            readLock.unlock();
        }
    }

    @Override
    protected Datagram implRecvFrom(int bufsize) throws SocketError {
        readLock.lock();
        try {
            int want = Math.min(bufsize, stream ? STREAM_CHUNK : MAX_DATAGRAM);
            long buf = readScratch(Math.max(want, 1));
            int n = (int) perform(RECVFROM, buf, want, 0, "recvfrom", null, deadline());
            byte[] data = n == 0 ? EMPTY : new byte[n];
            Native.getBytes(buf, data, 0, n);
            return new Datagram(data, decode(ctl + READ_ADDR, Native.getInt(ctl + READ_LEN), fromCache));
        } finally {
            readLock.unlock();
        }
    }

    @Override
    protected SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError {
        readLock.lock();
        try {
            receiveInto(dst, RECVFROM, "recvfrom_into");
            return decode(ctl + READ_ADDR, Native.getInt(ctl + READ_LEN), fromCache);
        } finally {
            readLock.unlock();
        }
    }

    private long receiveInto(ByteBuffer dst, int op, String name) throws SocketError {
        int position = dst.position();
        int room = dst.remaining();
        long n;
        if (dst.isDirect()) {
            if (dst != readDirect) {
                readDirect = dst;
                readDirectAddress = Native.address(dst);
            }
            n = perform(op, readDirectAddress + position, room, 0, name, null, deadline());
        } else {
            int want = Math.min(room, stream ? STREAM_CHUNK : MAX_DATAGRAM);
            long buf = readScratch(Math.max(want, 1));
            n = perform(op, buf, want, 0, name, null, deadline());
            if (dst.hasArray()) {
                Native.getBytes(buf, dst.array(), dst.arrayOffset() + position, (int) n);
            } else {
                byte[] copy = new byte[(int) n];
                Native.getBytes(buf, copy, 0, (int) n);
                dst.put(position, copy);
            }
        }
        dst.position(position + (int) n);
        return n;
    }

    private long readScratch(int size) {
        if (readScratch == null || readScratch.capacity() < size) {
            readScratch = ByteBuffer.allocateDirect(Math.max(size, 8192));
            readScratchAddress = Native.address(readScratch);
        }
        return readScratchAddress;
    }

    // ---- sending --------------------------------------------------------------------------

    @Override
    protected int implSend(ByteBuffer src) throws SocketError {
        writeLock.lock();
        try {
            return transmit(src, SEND, 0, "send", null, deadline());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    protected void implSendAll(ByteBuffer src) throws SocketError {
        writeLock.lock();
        try {
            long deadline = deadline();
            do {
                transmit(src, SEND, 0, "sendall", null, deadline);
            } while (src.hasRemaining());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        UnixAddress unix = (UnixAddress) address;
        writeLock.lock();
        try {
            if (!unix.equals(lastTo)) {
                lastToLength = encode(ctl + WRITE_ADDR, unix);
                lastTo = unix;
            }
            return transmit(src, SENDTO, lastToLength, "sendto", unix, deadline());
        } finally {
            writeLock.unlock();
        }
    }

    private int transmit(ByteBuffer src, int op, int addressLength, String name, UnixAddress to, long deadline) throws SocketError {
        int position = src.position();
        int length = src.remaining();
        long n;
        if (src.isDirect()) {
            if (src != writeDirect) {
                writeDirect = src;
                writeDirectAddress = Native.address(src);
            }
            n = perform(op, writeDirectAddress + position, length, addressLength, name, to, deadline);
        } else {
            int piece = stream ? Math.min(length, STREAM_CHUNK) : length;
            long buf = writeScratch(piece);
            if (src.hasArray()) {
                Native.putBytes(buf, src.array(), src.arrayOffset() + position, piece);
            } else {
                byte[] copy = new byte[piece];
                src.get(position, copy);
                Native.putBytes(buf, copy, 0, piece);
            }
            n = perform(op, buf, piece, addressLength, name, to, deadline);
        }
        src.position(position + (int) n);
        return (int) n;
    }

    private long writeScratch(int size) {
        if (writeScratch == null || writeScratch.capacity() < size) {
            writeScratch = ByteBuffer.allocateDirect(Math.max(size, 8192));
            writeScratchAddress = Native.address(writeScratch);
        }
        return writeScratchAddress;
    }

    // ---- the one place where calls wait ---------------------------------------------------

    /** When a call started now must end: 0 in blocking mode, where nothing times out. */
    private long deadline() {
        Duration timeout = getTimeout();
        return timeout == null || timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
    }

    /**
     * Runs one system call in the socket's mode: once in non-blocking mode; in timeout mode again
     * after poll(2) says it may succeed, until {@code deadline}; in blocking mode on a blocking
     * descriptor. Returns the call's non-negative result or throws its error.
     */
    private long perform(int op, long buf, long len, int addressLength, String name, SocketAddress address, long deadline)
            throws SocketError {
        Duration timeout = getTimeout();
        if (timeout != null && timeout.isZero()) {
            // a non-blocking call never waits, so an interrupt does not concern it
            if (!channel.enter()) {
                throw closedError(name);
            }
            long r;
            int errno = 0;
            try {
                r = syscall(op, buf, len, addressLength);
                if (r < 0) {
                    errno = Native.errno();
                }
            } finally {
                channel.leave();
            }
            if (r >= 0) {
                return r;
            }
            if (!channel.isOpen()) {
                throw closedError(name);
            }
            throw error(errno, name, address);
        }
        long r = -1;
        int errno = 0;
        channel.beginWait();
        try {
            if (channel.enter()) {
                try {
                    while (true) {
                        r = syscall(op, buf, len, addressLength);
                        if (r >= 0) {
                            break;
                        }
                        errno = Native.errno();
                        if (!channel.isOpen()) {
                            break;
                        }
                        if (errno == Native.EINTR) {
                            continue;
                        }
                        if (errno != Native.EAGAIN) {
                            break;
                        }
                        if (op == CONNECT) {
                            if (timeout == null) {
                                continue; // a connect slice ran out: wait again
                            }
                            break; // as CPython: a full backlog is EAGAIN, even with a timeout
                        }
                        long left = deadline - System.nanoTime();
                        if (timeout == null || left <= 0) {
                            errno = timeout == null ? errno : TIMED_OUT;
                            break;
                        }
                        long pollfd = ctl + (op <= ACCEPT ? READ_POLL : WRITE_POLL);
                        Native.putInt(pollfd + 4, op <= ACCEPT ? Native.POLLIN : Native.POLLOUT);
                        int millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                        if (Native.poll(pollfd, 1, millis) < 0) {
                            int pollErrno = Native.errno();
                            if (pollErrno != Native.EINTR) {
                                errno = pollErrno;
                                break;
                            }
                        }
                    }
                } finally {
                    channel.leave();
                }
            }
        } finally {
            try {
                channel.endWait(r >= 0 && channel.isOpen());
            } catch (ClosedByInterruptException e) {
                close(); // the channel is closed already; this marks the socket closed too
                throw new SocketError(Errno.EINTR, name + ": Interrupted system call (the interrupt closed the socket)", e);
            } catch (AsynchronousCloseException e) {
                throw new SocketError(Errno.EBADF, name + ": Bad file descriptor (socket closed by another thread)", e);
            }
        }
        if (r >= 0) {
            return r;
        }
        if (errno == TIMED_OUT) {
            throw timeoutError(address == null ? name : name + " " + describe(address));
        }
        throw error(errno, name, address);
    }

    private long syscall(int op, long buf, long len, int addressLength) {
        switch (op) {
            case RECV:
                return Native.recv(fd, buf, len, 0);
            case RECVFROM:
                Native.putInt(ctl + READ_LEN, Native.SOCKADDR_UN_SIZE);
                return Native.recvfrom(fd, buf, len, 0, ctl + READ_ADDR, ctl + READ_LEN);
            case ACCEPT:
                Native.putInt(ctl + READ_LEN, Native.SOCKADDR_UN_SIZE);
                return Native.accept4(fd, ctl + READ_ADDR, ctl + READ_LEN, Native.SOCK_CLOEXEC);
            case SEND:
                return Native.send(fd, buf, len, Native.MSG_NOSIGNAL);
            case SENDTO:
                return Native.sendto(fd, buf, len, Native.MSG_NOSIGNAL, ctl + WRITE_ADDR, addressLength);
            case CONNECT:
                return Native.connect(fd, ctl + WRITE_ADDR, addressLength);
            default:
                throw new IllegalStateException("no system call " + op);
        }
    }

    // ---- mode, names, options, descriptor -------------------------------------------------

    @Override
    protected void implSetTimeout(Duration timeout) throws SocketError {
        boolean wanted = timeout != null;
        if (wanted == nonBlocking) {
            return;
        }
        synchronized (miscLock) {
            guarded("settimeout", () -> {
                int flags = Native.fcntl(fd, Native.F_GETFL, 0);
                return flags < 0 ? flags : Native.fcntl(fd, Native.F_SETFL, wanted ? flags | Native.O_NONBLOCK : flags & ~Native.O_NONBLOCK);
            });
            nonBlocking = wanted;
        }
    }

    @Override
    protected SocketAddress implGetPeerName() throws SocketError {
        return name(false);
    }

    @Override
    protected SocketAddress implGetSockName() throws SocketError {
        return name(true);
    }

    private UnixAddress name(boolean local) throws SocketError {
        synchronized (miscLock) {
            Native.putInt(ctl + MISC_LEN, Native.SOCKADDR_UN_SIZE);
            if (local) {
                guarded("getsockname", () -> Native.getsockname(fd, ctl + MISC_ADDR, ctl + MISC_LEN));
            } else {
                guarded("getpeername", () -> Native.getpeername(fd, ctl + MISC_ADDR, ctl + MISC_LEN));
            }
            return decode(ctl + MISC_ADDR, Native.getInt(ctl + MISC_LEN), null);
        }
    }

    @Override
    protected int implFileno() throws SocketError {
        return channel.isOpen() ? fd : -1;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return stream ? STREAM_OPTIONS : DATAGRAM_OPTIONS;
    }

    @Override
    protected <T> void implSetOption(SocketOption<T> option, T value) throws SocketError {
        String what = "setsockopt " + option.name();
        int length = 4;
        synchronized (miscLock) {
            if (option == UnixOptions.SO_PEERCRED) {
                // read-only: setsockopt(2) answers it with ENOPROTOOPT too
                throw SocketError.of(Errno.ENOPROTOOPT, what + " (read-only)");
            } else if (option == StandardSocketOptions.SO_LINGER) {
                int seconds = (Integer) value;
                Native.putInt(ctl + OPT_VALUE, seconds < 0 ? 0 : 1);
                Native.putInt(ctl + OPT_VALUE + 4, Math.max(seconds, 0));
                length = 8;
            } else if (option.type() == Boolean.class) {
                Native.putInt(ctl + OPT_VALUE, (Boolean) value ? 1 : 0);
            } else {
                int size = (Integer) value;
                if (size < 0) {
                    throw new IllegalArgumentException("value for " + option.name() + " must not be negative, got " + size);
                }
                Native.putInt(ctl + OPT_VALUE, size);
            }
            int name = optionName(option);
            int len = length;
            guarded(what, () -> Native.setsockopt(fd, Native.SOL_SOCKET, name, ctl + OPT_VALUE, len));
        }
    }

    @Override
    protected <T> T implGetOption(SocketOption<T> option) throws SocketError {
        synchronized (miscLock) {
            int name = optionName(option);
            Native.putInt(ctl + OPT_LEN, 16);
            guarded("getsockopt " + option.name(), () -> Native.getsockopt(fd, Native.SOL_SOCKET, name, ctl + OPT_VALUE, ctl + OPT_LEN));
            int first = Native.getInt(ctl + OPT_VALUE);
            Object value;
            if (option == UnixOptions.SO_PEERCRED) {
                value = new PeerCredentials(Integer.toUnsignedLong(first), Native.getInt(ctl + OPT_VALUE + 4), Native.getInt(ctl + OPT_VALUE + 8));
            } else if (option == StandardSocketOptions.SO_LINGER) {
                value = first == 0 ? -1 : Native.getInt(ctl + OPT_VALUE + 4);
            } else if (option.type() == Boolean.class) {
                value = first != 0;
            } else {
                value = first;
            }
            return option.type().cast(value);
        }
    }

    private static int optionName(SocketOption<?> option) {
        if (option == StandardSocketOptions.SO_RCVBUF) {
            return Native.SO_RCVBUF;
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            return Native.SO_SNDBUF;
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            return Native.SO_KEEPALIVE;
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            return Native.SO_REUSEADDR;
        } else if (option == StandardSocketOptions.SO_LINGER) {
            return Native.SO_LINGER;
        } else if (option == UnixOptions.SO_PASSCRED) {
            return Native.SO_PASSCRED;
        }
        return Native.SO_PEERCRED;
    }

    private void guarded(String what, IntSupplier call) throws SocketError {
        guarded(what, null, call);
    }

    /** Runs a call that never waits while the descriptor is held open, and throws its error. */
    private void guarded(String what, SocketAddress address, IntSupplier call) throws SocketError {
        if (!channel.enter()) {
            throw closedError(what);
        }
        int result;
        int errno = 0;
        try {
            result = call.getAsInt();
            if (result < 0) {
                errno = Native.errno();
            }
        } finally {
            channel.leave();
        }
        if (result < 0) {
            throw error(errno, what, address);
        }
    }

    @Override
    protected void implClose() {
        try {
            channel.close();
        } catch (IOException e) {
            // implCloseChannel declares IOException but never throws one
            throw new IllegalStateException("close " + fd, e);
        }
    }

    // ---- addresses and errors -------------------------------------------------------------

    /** Writes a sockaddr_un at {@code at} and returns its length; unnamed asks bind(2) to autobind. */
    private static int encode(long at, UnixAddress address) {
        Native.putShort(at, (short) Native.AF_UNIX);
        if (address.isUnnamed()) {
            return Native.SUN_PATH_OFFSET;
        }
        byte[] path = address.sunPath();
        Native.putBytes(at + Native.SUN_PATH_OFFSET, path, 0, path.length);
        if (address.isAbstract()) {
            return Native.SUN_PATH_OFFSET + path.length; // abstract names are counted, not terminated
        }
        Native.putBytes(at + Native.SUN_PATH_OFFSET + path.length, EMPTY_NUL, 0, 1);
        return Native.SUN_PATH_OFFSET + path.length + 1;
    }

    private static final byte[] EMPTY_NUL = {0};

    /**
     * Reads the sockaddr_un the kernel wrote, as CPython does: no address at all (a datagram from an
     * unbound sender) is {@code null}, a bare family is the unnamed address. A cache spares the
     * allocation for a repeated sender.
     */
    private static UnixAddress decode(long at, int length, AddressCache cache) {
        if (length < Native.SUN_PATH_OFFSET) {
            return null;
        }
        int n = Math.min(length, Native.SOCKADDR_UN_SIZE) - Native.SUN_PATH_OFFSET;
        if (n <= 0) {
            return UnixAddress.unnamed();
        }
        byte[] raw = cache == null ? new byte[n] : cache.scratch;
        Native.getBytes(at + Native.SUN_PATH_OFFSET, raw, 0, n);
        if (cache != null && cache.matches(n)) {
            return cache.value;
        }
        UnixAddress address;
        if (raw[0] == 0) {
            address = UnixAddress.abstractName(new String(raw, 1, n - 1, StandardCharsets.UTF_8));
        } else {
            int end = 0;
            while (end < n && raw[end] != 0) {
                end++;
            }
            address = UnixAddress.of(new String(raw, 0, end, StandardCharsets.UTF_8));
        }
        if (cache != null) {
            cache.remember(n, address);
        }
        return address;
    }

    /** The last address decoded on the read side, by its raw bytes. */
    private static final class AddressCache {
        final byte[] scratch = new byte[Native.SOCKADDR_UN_SIZE];
        final byte[] raw = new byte[Native.SOCKADDR_UN_SIZE];
        int length = -1;
        UnixAddress value;

        boolean matches(int n) {
            return n == length && Arrays.equals(scratch, 0, n, raw, 0, n);
        }

        void remember(int n, UnixAddress address) {
            System.arraycopy(scratch, 0, raw, 0, n);
            length = n;
            value = address;
        }
    }

    /** The translation point: an errno from the kernel to a {@link SocketError} naming the call. */
    static SocketError error(int errno, String operation, SocketAddress address) {
        String what = address == null ? operation : operation + " " + describe(address);
        Errno e;
        try {
            e = Errno.of(errno);
        } catch (IllegalArgumentException unknown) {
            return new SocketError(Errno.EIO, what + ": errno " + errno + " (unknown to jsock)");
        }
        return SocketError.of(e, what);
    }
}
