package io.jsock.core;

import io.jsock.Accepted;
import io.jsock.Ancillary;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Message;
import io.jsock.MessageInto;
import io.jsock.MulticastOptions.MulticastGroup;
import io.jsock.PacketAddress;
import io.jsock.PeerCredentials;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.spi.AbstractSocket;
import io.jsock.spi.Call;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket that is a Linux descriptor and the system calls of {@link Sys}: the one socket class
 * of every built-in provider, for every family and type. The kernel decides what each type allows
 * (listen on a datagram socket: EOPNOTSUPP; send on an unconnected one: EDESTADDRREQ or ENOTCONN),
 * so errno is always the kernel's, as CPython's is.
 *
 * <p>Waiting is {@link AbstractSocket#perform}'s; this class supplies one-shot attempts and
 * {@link #readyWithin}, which says whether poll(2) saw the descriptor ready. The descriptor is
 * blocking in blocking mode, so a platform thread's call is one system call, as CPython's is;
 * it is {@code O_NONBLOCK} in timeout and non-blocking mode, and for good once a virtual thread
 * has waited on it, so that no virtual thread ever blocks in native code: it parks in the
 * {@link Poller} instead. A platform thread waits in poll(2).
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
    private final BatchWriter batchWriter = new BatchWriter();
    private final BatchReader batchReader = new BatchReader();
    private final Object modeLock = new Object();
    /** The descriptor's O_NONBLOCK, as this class last set it. */
    private boolean fdNonBlocking;
    /** A virtual thread waited on the descriptor: it stays O_NONBLOCK. */
    private volatile boolean virtualized;
    /** shutdown(SHUT_RD or SHUT_RDWR) was called: the kernel has marked the socket so. */
    private volatile boolean readShut;
    /** A datagram socket connected to a peer (or one of a pair): its messages carry no sender address. */
    private volatile boolean peered;

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
        NativeSocket a = new NativeSocket(family, type, proto, first);
        NativeSocket b = new NativeSocket(family, type, proto, second);
        a.peered = true;
        b.peered = true;
        return new SocketPair(a, b);
    }

    /** What {@link #kernelHas} learnt, by family, type and protocol. */
    private static final Map<Long, Boolean> KERNEL_HAS = new ConcurrentHashMap<>();

    /**
     * Whether this kernel offers the triple: socket(2) of it succeeds, or fails only for want of a
     * privilege (EPERM, EACCES: a raw socket without CAP_NET_RAW). Asked once per triple; false when
     * no backend loads. For a provider's {@code supports} of protocols a kernel may lack (MPTCP, UDP-Lite).
     */
    public static boolean kernelHas(AddressFamily family, SocketType type, int proto) {
        if (!Sys.available()) {
            return false;
        }
        long key = ((long) family.value() << 40) | ((long) type.value() << 32) | (proto & 0xffffffffL);
        return KERNEL_HAS.computeIfAbsent(key, k -> {
            int fd = Sys.socket(family.value(), type.value() | Linux.SOCK_CLOEXEC, proto);
            if (fd >= 0) {
                Sys.close(fd);
                return true;
            }
            return fd == -Linux.EPERM || fd == -Linux.EACCES;
        });
    }

    /** Which triples a provider takes, for {@link #adopt}. */
    @FunctionalInterface
    public interface Triples {
        boolean supports(AddressFamily family, SocketType type, int proto);
    }

    /**
     * A socket on an open descriptor, its family, type and protocol read from the kernel
     * (SO_DOMAIN, SO_TYPE, SO_PROTOCOL); with {@code duplicate}, on a close-on-exec dup of it. The
     * descriptor is left as it was when it is no socket (ENOTSOCK) or of a triple the provider
     * does not take (EAFNOSUPPORT, ESOCKTNOSUPPORT, EPROTONOSUPPORT).
     */
    public static NativeSocket adopt(int fd, boolean duplicate, Triples provider, String name) throws SocketError {
        int domain = socketOption(fd, Linux.SO_DOMAIN);
        int type = socketOption(fd, Linux.SO_TYPE);
        int proto = socketOption(fd, Linux.SO_PROTOCOL);
        AddressFamily family = AddressFamily.ofOrNull(domain);
        SocketType socketType = SocketType.ofOrNull(type);
        String what = "adopt descriptor " + fd + " (family " + domain + ", type " + type + ", protocol " + proto + ")";
        if (family == null || socketType == null || !provider.supports(family, socketType, proto)) {
            Errno e = family == null ? Errno.EAFNOSUPPORT : socketType == null ? Errno.ESOCKTNOSUPPORT
                    : provider.supports(family, socketType, 0) ? Errno.EPROTONOSUPPORT : Errno.EAFNOSUPPORT;
            throw new SocketError(e, what + ": " + e.description() + " (provider " + name + " does not take it)");
        }
        int own = fd;
        if (duplicate) {
            own = Sys.fcntl(fd, Linux.F_DUPFD_CLOEXEC, 0);
            if (own < 0) {
                throw error("dup(" + fd + ")", null, -own);
            }
        }
        int flags = Sys.fcntl(own, Linux.F_GETFL, 0);
        NativeSocket s = new NativeSocket(family, socketType, proto, own); // the kernel's number, as CPython's proto says
        s.fdNonBlocking = flags >= 0 && (flags & Linux.O_NONBLOCK) != 0; // the loop waits on EAGAIN whatever the flag says
        return s;
    }

    private static int socketOption(int fd, int name) throws SocketError {
        Scratch s = Scratch.acquire();
        try {
            s.control.putInt(Scratch.OPT_LEN, 4);
            int r = Sys.getsockopt(fd, Linux.SOL_SOCKET, name, s.control, Scratch.OPT, Scratch.OPT_LEN);
            if (r < 0) {
                throw error("getsockopt(" + fd + ", SOL_SOCKET, " + name + ")", null, -r);
            }
            return s.control.getInt(Scratch.OPT);
        } finally {
            s.release();
        }
    }

    /** close(2) of a descriptor the caller owns; EBADF if it is not open. */
    public static void closeDescriptor(int fd) throws SocketError {
        int r = Sys.close(fd);
        if (r < 0) {
            throw error("close(" + fd + ")", null, -r);
        }
    }

    /** The backend the system is called through: "jffi" or "ffm" ("none" when neither loads: then every open says why). */
    public static String backend() {
        return Sys.backend();
    }

    // ---- connection set-up ----------------------------------------------------------------

    /**
     * The address check of {@link AbstractSocket#checkAddress}, and for AF_PACKET a
     * {@link PacketAddress} with its interface looked up by name (if_nametoindex(3); none by that
     * name: ENODEV, as Linux and CPython say). A family jsock has no sockaddr for takes no address.
     */
    @Override
    protected SocketAddress checkAddress(String operation, SocketAddress address) throws SocketError {
        switch (family()) {
            case AF_INET:
            case AF_INET6:
            case AF_UNIX:
                return super.checkAddress(operation, address);
            case AF_PACKET: {
                Objects.requireNonNull(address, "address");
                if (!(address instanceof PacketAddress packet)) {
                    throw new IllegalArgumentException("address must be a PacketAddress for an AF_PACKET socket, got "
                            + address.getClass().getSimpleName() + " " + address);
                }
                return new SockAddr.Packet(packet, interfaceIndex(operation, packet));
            }
            default:
                Objects.requireNonNull(address, "address");
                throw new IllegalArgumentException(operation + ": jsock has no " + family() + " address, got "
                        + address.getClass().getSimpleName() + " " + address);
        }
    }

    private static int interfaceIndex(String operation, PacketAddress packet) throws SocketError {
        NetworkInterface nif = null;
        try {
            nif = packet.ifname().isEmpty() ? null : NetworkInterface.getByName(packet.ifname());
        } catch (SocketException e) {
            throw new SocketError(Errno.ENODEV, operation + " " + packet + ": " + Errno.ENODEV.description() + " (" + e.getMessage() + ")", e);
        }
        if (nif == null || nif.getIndex() <= 0) {
            throw new SocketError(Errno.ENODEV, operation + " " + packet + ": " + Errno.ENODEV.description()
                    + " (no interface named '" + packet.ifname() + "')");
        }
        return nif.getIndex();
    }

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
                peered = true;
            } finally {
                if (wasBlocking && !virtualized && fd.isOpen()) {
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
        if ((r == 0 || r == -Linux.ENOTCONN) && how != Shutdown.SHUT_WR) {
            readShut = true; // Linux marks the socket even where it answers ENOTCONN
        }
        if (r < 0) {
            throw error("shutdown", null, -r);
        }
    }

    // ---- receiving ------------------------------------------------------------------------

    @Override
    protected byte[] implRecv(int bufsize) throws SocketError {
        return implRecv(bufsize, 0);
    }

    @Override
    protected byte[] implRecv(int bufsize, int flags) throws SocketError {
        if (bufsize == 0) {
            return EMPTY; // as CPython: recv(0) asks the kernel nothing
        }
        readLock.lock();
        try {
            prepare();
            if (stream && (flags & Linux.MSG_WAITALL) != 0 && (flags & Linux.MSG_PEEK) == 0) {
                return recvAll(bufsize, flags);
            }
            reader.set(Call.RECV, null, bufsize, flags);
            perform(Call.RECV, null, reader, mode(flags));
            return reader.data;
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected int implRecvInto(ByteBuffer dst) throws SocketError {
        return implRecvInto(dst, 0);
    }

    @Override
    protected int implRecvInto(ByteBuffer dst, int flags) throws SocketError {
        if (!dst.hasRemaining()) {
            return 0;
        }
        readLock.lock();
        try {
            prepare();
            reader.set(Call.RECV_INTO, dst, dst.remaining(), flags);
            if (stream && (flags & Linux.MSG_WAITALL) != 0 && (flags & Linux.MSG_PEEK) == 0) {
                return recvIntoAll(dst);
            }
            return (int) perform(Call.RECV_INTO, null, reader, mode(flags));
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected Datagram implRecvFrom(int bufsize) throws SocketError {
        return implRecvFrom(bufsize, 0);
    }

    @Override
    protected Datagram implRecvFrom(int bufsize, int flags) throws SocketError {
        readLock.lock();
        try {
            prepare();
            reader.set(Call.RECVFROM, null, bufsize, flags);
            perform(Call.RECVFROM, null, reader, mode(flags));
            return new Datagram(reader.data, reader.from);
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError {
        return implRecvFromInto(dst, 0);
    }

    @Override
    protected SocketAddress implRecvFromInto(ByteBuffer dst, int flags) throws SocketError {
        readLock.lock();
        try {
            prepare();
            reader.set(Call.RECVFROM_INTO, dst, dst.remaining(), flags);
            perform(Call.RECVFROM_INTO, null, reader, mode(flags));
            return reader.from;
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    /** The mode one call runs in: {@code MSG_DONTWAIT} makes it non-blocking, and {@code MSG_OOB} never waits. */
    private long mode(int flags) {
        return (flags & (Linux.MSG_DONTWAIT | Linux.MSG_OOB)) != 0 ? 0 : timeoutNanos();
    }

    /**
     * recv(MSG_WAITALL) of a stream (MSG_PEEK aside, which the kernel waits for), as on a blocking descriptor: every byte asked for, or what came
     * before the end of stream; in timeout mode what arrived when the timeout passed. Memory grows
     * with what arrives, not with {@code bufsize}.
     */
    private byte[] recvAll(int bufsize, int flags) throws SocketError {
        byte[] got = EMPTY;
        int have = 0;
        long timeout = mode(flags);
        long start = System.nanoTime();
        while (have < bufsize) {
            reader.set(Call.RECV, null, bufsize - have, flags);
            try {
                perform(Call.RECV, null, reader, left(timeout, start));
            } catch (SocketError e) {
                if (have == 0 || !(e instanceof io.jsock.SocketTimeoutError || e.errno() == Errno.EAGAIN)) {
                    throw e;
                }
                break;
            }
            byte[] piece = reader.data;
            if (piece.length == 0) {
                break; // the end of the stream
            }
            if (have == 0 && piece.length == bufsize) {
                return piece;
            }
            if (have + piece.length > got.length) {
                got = java.util.Arrays.copyOf(got, Math.min(bufsize, Math.max(have + piece.length, 2 * got.length)));
            }
            System.arraycopy(piece, 0, got, have, piece.length);
            have += piece.length;
        }
        return have == got.length ? got : java.util.Arrays.copyOf(got, have);
    }

    /** recv_into(MSG_WAITALL) of a stream: until {@code dst} is full, the end of stream, or the timeout. */
    private int recvIntoAll(ByteBuffer dst) throws SocketError {
        int start = dst.position();
        long timeout = mode(reader.flags);
        long began = System.nanoTime();
        while (dst.hasRemaining()) {
            reader.want = dst.remaining();
            long n;
            try {
                n = perform(Call.RECV_INTO, null, reader, left(timeout, began));
            } catch (SocketError e) {
                if (dst.position() == start || !(e instanceof io.jsock.SocketTimeoutError || e.errno() == Errno.EAGAIN)) {
                    throw e;
                }
                break;
            }
            if (n == 0) {
                break;
            }
        }
        return dst.position() - start;
    }

    /** What is left of a timeout begun at {@code start} (at least 1 ns, so the mode stays timeout mode). */
    private static long left(long timeout, long start) {
        return timeout <= 0 ? timeout : Math.max(1, timeout - (System.nanoTime() - start));
    }

    // ---- sending --------------------------------------------------------------------------

    @Override
    protected int implSend(ByteBuffer src) throws SocketError {
        return implSend(src, 0);
    }

    @Override
    protected int implSend(ByteBuffer src, int flags) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.set(Call.SEND, src, flags, null);
            long mode = mode(flags);
            if (!stream || mode != BLOCKING) {
                return (int) perform(Call.SEND, null, writer, mode);
            }
            // a blocking send(2) on a stream returns once all of it is queued: so does one sent in pieces
            int start = src.position();
            try {
                do {
                    perform(Call.SEND, null, writer, mode);
                } while (src.hasRemaining());
            } catch (SocketError e) {
                if (src.position() == start) {
                    throw e;
                }
                if (!isClosed()) {
                    writer.pendingErrno = e.errno().code(); // as one send(2) that had sent bytes: the next call's
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
        implSendAll(src, 0);
    }

    @Override
    protected void implSendAll(ByteBuffer src, int flags) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.set(Call.SENDALL, src, flags, null);
            long timeout = mode(flags);
            long start = System.nanoTime();
            do {
                perform(Call.SENDALL, null, writer, left(timeout, start)); // one deadline for the whole call, as Python 3.5+
            } while (src.hasRemaining());
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    // A caller that sends one array again and again (a hot loop) gets one wrapper, kept per socket:
    // a new ByteBuffer per call would escape into the write side and cost 56 bytes a send.

    @Override
    protected int implSend(byte[] data, int flags) throws SocketError {
        writeLock.lock();
        try {
            return implSend(writer.wrap(data), flags);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    protected void implSendAll(byte[] data, int flags) throws SocketError {
        writeLock.lock();
        try {
            implSendAll(writer.wrap(data), flags);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    protected int implSendTo(byte[] data, int flags, SocketAddress address) throws SocketError {
        writeLock.lock();
        try {
            return implSendTo(writer.wrap(data), flags, address);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        return implSendTo(src, 0, address);
    }

    @Override
    protected int implSendTo(ByteBuffer src, int flags, SocketAddress address) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.set(Call.SENDTO, src, flags, address);
            return (int) perform(Call.SENDTO, address, writer, mode(flags));
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    // ---- messages: sendmsg(2), recvmsg(2) -------------------------------------------------

    private static final Ancillary[] NO_ANCILLARY = new Ancillary[0];

    @Override
    protected void implSendAll(ByteBuffer[] srcs) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.setMessage(Call.SENDALL, srcs, NO_ANCILLARY, 0, null);
            long timeout = timeoutNanos();
            long start = System.nanoTime();
            while (writer.hasRemaining()) {
                perform(Call.SENDALL, null, writer, left(timeout, start)); // one deadline for the whole call
            }
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    @Override
    protected int implSendMsg(ByteBuffer[] buffers, Ancillary[] ancillary, int flags, SocketAddress address) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            writer.setMessage(Call.SENDMSG, buffers, ancillary, flags, address);
            long mode = mode(flags);
            if (!stream || mode != BLOCKING) {
                return (int) perform(Call.SENDMSG, address, writer, mode);
            }
            // a blocking sendmsg(2) on a stream returns once all of it is queued: so does one sent in pieces,
            // its control messages going with the first
            long sent = 0;
            try {
                do {
                    sent += perform(Call.SENDMSG, address, writer, mode);
                    writer.ancillary = NO_ANCILLARY;
                } while (writer.hasRemaining());
            } catch (SocketError e) {
                if (sent == 0) {
                    throw e;
                }
                if (!isClosed()) {
                    writer.pendingErrno = e.errno().code(); // as one sendmsg(2) that had sent bytes: the next call's
                }
            }
            return (int) Math.min(sent, Integer.MAX_VALUE);
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    @Override
    protected Message implRecvMsg(int bufsize, int ancBufsize, int flags) throws SocketError {
        readLock.lock();
        try {
            prepare();
            reader.setMessage(Call.RECVMSG, null, bufsize, ancBufsize, flags);
            perform(Call.RECVMSG, null, reader, mode(flags));
            return new Message(reader.data, reader.ancillary, reader.msgFlags, reader.from);
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    @Override
    protected MessageInto implRecvMsgInto(ByteBuffer[] buffers, int ancBufsize, int flags) throws SocketError {
        readLock.lock();
        try {
            prepare();
            reader.setMessage(Call.RECVMSG_INTO, buffers, 0, ancBufsize, flags);
            long n = perform(Call.RECVMSG_INTO, null, reader, mode(flags));
            return new MessageInto((int) Math.min(n, Integer.MAX_VALUE), reader.ancillary, reader.msgFlags, reader.from);
        } finally {
            reader.clear();
            readLock.unlock();
        }
    }

    /** The descriptors of the SCM_RIGHTS messages among {@code ancillary}: received, so this process's to close. */
    private static void closeReceived(List<Ancillary> ancillary) {
        if (ancillary == null) {
            return;
        }
        for (Ancillary a : ancillary) {
            if (a.level() == Linux.SOL_SOCKET && a.type() == Linux.SCM_RIGHTS) {
                ByteBuffer fds = ByteBuffer.wrap(a.data()).order(java.nio.ByteOrder.nativeOrder());
                while (fds.remaining() >= 4) {
                    Sys.close(fds.getInt());
                }
            }
        }
    }

    // ---- the attempts ---------------------------------------------------------------------

    /** The read side's one-shot attempt: recv, recvfrom or accept; guarded by the read lock. */
    private final class Reader implements Attempt {
        Call call;
        ByteBuffer dst;
        int want;
        int flags;
        byte[] data;
        SocketAddress from;
        final SockAddr.Cache senders = new SockAddr.Cache();
        final DirectAddress buffer = new DirectAddress();
        // messages: recvmsg(2)
        ByteBuffer[] dsts;
        int ancBufsize;
        List<Ancillary> ancillary;
        int msgFlags;
        private MsgHdr msg;

        void setMessage(Call call, ByteBuffer[] dsts, int want, int ancBufsize, int flags) {
            set(call, null, want, flags);
            this.dsts = dsts;
            this.ancBufsize = ancBufsize;
            this.ancillary = List.of();
            this.msgFlags = 0;
        }

        void set(Call call, ByteBuffer dst, int want, int flags) {
            this.call = call;
            this.dst = dst;
            this.want = want;
            this.flags = flags;
            this.data = EMPTY;
            this.from = null;
        }

        void clear() {
            dst = null;
            data = null;
            from = null;
            dsts = null;
            ancillary = null;
        }

        @Override
        public long attempt() {
            if (!fd.enter()) {
                return -Linux.EBADF;
            }
            Scratch s = Scratch.acquire();
            try {
                if (call == Call.ACCEPT) {
                    return accept(s);
                }
                if (call == Call.RECVMSG || call == Call.RECVMSG_INTO) {
                    return receiveMessage();
                }
                long r = receive(s);
                if (r == -Linux.EAGAIN && !stream && readShut && virtualized && timeoutNanos() == BLOCKING) {
                    // a blocking datagram receive on a socket shut for reading returns 0 at once
                    // (__skb_wait_for_more_packets): so does its emulation on a virtual thread's O_NONBLOCK descriptor
                    data = EMPTY;
                    from = null;
                    return 0;
                }
                return r;
            } finally {
                s.release();
                fd.leave();
            }
        }

        /**
         * recvmsg(2) with MSG_CMSG_CLOEXEC: into one data area for recvmsg, or scattered over the
         * buffers for recvmsg_into (direct ones straight, heap ones through the data area).
         */
        private long receiveMessage() {
            if (msg == null) {
                msg = new MsgHdr();
            }
            MsgHdr m = msg;
            try {
                int iovs = 0;
                long heap = 0;
                if (call == Call.RECVMSG) {
                    iovs = want > 0 ? 1 : 0;
                    heap = want;
                } else {
                    for (ByteBuffer b : dsts) {
                        if (b.hasRemaining()) {
                            iovs++;
                            heap += b.isDirect() ? 0 : b.remaining();
                        }
                    }
                }
                if (heap > Integer.MAX_VALUE - 8) {
                    return -Linux.EINVAL; // more than one message can carry
                }
                m.begin(iovs, (int) heap, ancBufsize);
                if (call == Call.RECVMSG) {
                    if (want > 0) {
                        m.dataIov(want);
                    }
                } else {
                    for (ByteBuffer b : dsts) {
                        if (!b.hasRemaining()) {
                            continue;
                        }
                        if (b.isDirect()) {
                            m.iov(b, Sys.address(b), b.position(), b.remaining());
                        } else {
                            m.dataIov(b.remaining());
                        }
                    }
                }
                if (!stream && !peered) {
                    m.senderRoom();
                }
                m.control(ancBufsize);
                long n = Sys.recvmsg(fdNumber, m, flags | Linux.MSG_CMSG_CLOEXEC);
                if (n < 0) {
                    return n;
                }
                msgFlags = m.flags() & ~(Linux.MSG_CMSG_CLOEXEC & ~flags); // Linux echoes it: jsock's addition, not the caller's
                ancillary = m.received();
                from = m.sender(senders);
                boolean discarded = stream && (flags & Linux.MSG_TRUNC) != 0; // TCP's MSG_TRUNC drops the bytes unread
                if (call == Call.RECVMSG) {
                    int stored = (int) Math.min(n, want);
                    data = stored == 0 ? EMPTY : new byte[stored];
                    if (stored > 0 && !discarded) {
                        m.data().get(0, data, 0, stored);
                    }
                } else {
                    long left = Math.min(n, heap + directRemaining());
                    int at = 0;
                    for (ByteBuffer b : dsts) {
                        int room = b.remaining();
                        if (room == 0) {
                            continue;
                        }
                        int got = (int) Math.min(room, left);
                        if (b.isDirect() || discarded) {
                            b.position(b.position() + got);
                        } else {
                            m.data().get(at, b, got);
                        }
                        if (!b.isDirect()) {
                            at += room;
                        }
                        left -= got;
                    }
                }
                return n;
            } finally {
                m.end();
            }
        }

        private long directRemaining() {
            long n = 0;
            for (ByteBuffer b : dsts) {
                n += b.isDirect() ? b.remaining() : 0;
            }
            return n;
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
                    dst.position(dst.position() + (int) Math.min(n, want)); // MSG_TRUNC may report more than was stored
                }
                return n;
            }
            int size = want;
            Mem mem;
            if (size <= Scratch.DATA_CAP) {
                mem = s.data(size);
            } else if (stream && (flags & (Linux.MSG_PEEK | Linux.MSG_TRUNC | Linux.MSG_OOB)) == 0) {
                return receivePieces(s, withAddress);
            } else if (stream) {
                size = Scratch.DATA_CAP; // a peek (or a discard) of what fits: the rest stays for the next call
                mem = s.data(size);
            } else {
                // a datagram bigger than the scratch: learn its length, and take no more memory than that
                long length = Sys.recv(fdNumber, s.data(1), 0, 0, flags | Linux.MSG_PEEK | Linux.MSG_TRUNC);
                if (length < 0) {
                    return length;
                }
                size = (int) Math.min(size, Math.max(length, 0));
                mem = size <= Scratch.DATA_CAP ? s.data(size) : Mem.allocate(size);
            }
            long n = recv(s, null, mem, 0, size, withAddress);
            int stored = (int) Math.min(n, size);
            if (stored > 0) {
                boolean discarded = stream && (flags & Linux.MSG_TRUNC) != 0; // TCP's MSG_TRUNC drops the bytes unread
                if (dst != null) {
                    if (discarded) {
                        dst.position(dst.position() + stored);
                    } else {
                        mem.get(0, dst, stored);
                    }
                } else {
                    data = new byte[stored];
                    if (!discarded) {
                        mem.get(0, data, 0, stored);
                    }
                }
            }
            return n;
        }

        /**
         * A stream read of more than the scratch holds, in pieces: as one recv(2) of that size, it
         * waits (by the mode) for the first bytes only, then takes what is queued. Later pieces read
         * no more than FIONREAD says is there, so none of them can take an error or the end of the
         * stream that one recv(2) would have left for the next call.
         */
        private long receivePieces(Scratch s, boolean withAddress) {
            Mem mem = s.data(Scratch.DATA_CAP);
            long n = recv(s, null, mem, 0, Scratch.DATA_CAP, withAddress);
            if (n <= 0) {
                return n;
            }
            byte[] out = dst == null ? new byte[(int) Math.min(want, 2L * Scratch.DATA_CAP)] : null;
            int total = 0;
            while (true) {
                if (out == null) {
                    mem.get(0, dst, (int) n);
                } else {
                    if (total + n > out.length) {
                        out = Arrays.copyOf(out, (int) Math.min(want, 2L * out.length));
                    }
                    mem.get(0, out, total, (int) n);
                }
                total += (int) n;
                if (n < Scratch.DATA_CAP || total == want
                        || Sys.ioctl(fdNumber, Linux.FIONREAD, s.control, Scratch.OPT) < 0) {
                    break;
                }
                int piece = Math.min(Math.min(s.control.getInt(Scratch.OPT), want - total), Scratch.DATA_CAP);
                if (piece <= 0) {
                    break;
                }
                n = Sys.recv(fdNumber, mem, 0, piece, Linux.MSG_DONTWAIT);
                if (n <= 0) {
                    break;
                }
            }
            if (out != null) {
                data = total == out.length ? out : Arrays.copyOf(out, total);
            }
            return total;
        }

        private long recv(Scratch s, ByteBuffer direct, Mem mem, int offset, int length, boolean withAddress) {
            if (!withAddress) {
                return direct != null ? Sys.recv(fdNumber, direct, buffer, offset, length, flags) : Sys.recv(fdNumber, mem, offset, length, flags);
            }
            s.control.putInt(Scratch.ADDR_LEN, SockAddr.STORAGE);
            long n = direct != null
                    ? Sys.recvfrom(fdNumber, direct, buffer, offset, length, flags, s.control, Scratch.ADDR, Scratch.ADDR_LEN)
                    : Sys.recvfrom(fdNumber, mem, offset, length, flags, s.control, Scratch.ADDR, Scratch.ADDR_LEN);
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
        int flags;
        SocketAddress to;
        /** A connect(2) is under way: later tries ask SO_ERROR instead of connecting again. */
        boolean connecting;
        /** The error a piece of a long stream write met after earlier pieces went: the next write's. */
        int pendingErrno;
        final SockAddr.Encoded destination = new SockAddr.Encoded();
        final DirectAddress buffer = new DirectAddress();
        // messages: sendmsg(2)
        ByteBuffer[] srcs;
        Ancillary[] ancillary;
        /** The first of {@link #srcs} with bytes left. */
        int next;
        private MsgHdr msg;
        /** The direct buffers last gathered, by place, and their addresses: the same list again costs no lookup. */
        private final ByteBuffer[] gathered = new ByteBuffer[16];
        private final long[] gatheredAddress = new long[16];

        private long address(ByteBuffer direct, int i) {
            if (i >= gathered.length) {
                return Sys.address(direct);
            }
            if (gathered[i] != direct) {
                gatheredAddress[i] = Sys.address(direct);
                gathered[i] = direct;
            }
            return gatheredAddress[i];
        }

        void forgetGathered() {
            java.util.Arrays.fill(gathered, null);
        }

        void setMessage(Call call, ByteBuffer[] srcs, Ancillary[] ancillary, int flags, SocketAddress to) {
            set(call, null, flags, to);
            this.srcs = srcs;
            this.ancillary = ancillary;
            this.next = 0;
        }

        /** Whether a buffer has bytes left; moves {@link #next} to the first that has. */
        boolean hasRemaining() {
            while (next < srcs.length && !srcs[next].hasRemaining()) {
                next++;
            }
            return next < srcs.length;
        }

        /** The last array sent and its wrapper, reused while the same array comes again. */
        private byte[] wrapped;
        private ByteBuffer wrapper;

        ByteBuffer wrap(byte[] data) {
            ByteBuffer w = data == wrapped ? wrapper : null; // a close in another thread may forget both meanwhile
            if (w == null) {
                w = ByteBuffer.wrap(data);
                wrapper = w;
                wrapped = data;
            }
            return w.clear();
        }

        void forgetArray() {
            wrapped = null;
            wrapper = null;
        }

        void set(Call call, ByteBuffer src, int flags, SocketAddress to) {
            this.call = call;
            this.src = src;
            this.flags = flags | Linux.MSG_NOSIGNAL;
            this.to = to;
            this.connecting = false;
        }

        void clear() {
            src = null;
            to = null;
            srcs = null;
            ancillary = null;
        }

        @Override
        public long attempt() throws SocketError {
            if (!fd.enter()) {
                return -Linux.EBADF;
            }
            Scratch s = Scratch.acquire();
            try {
                if (srcs != null) {
                    return transmitMessage();
                }
                return call == Call.CONNECT ? connect(s) : transmit(s);
            } finally {
                s.release();
                fd.leave();
            }
        }

        private long connect(Scratch s) throws SocketError {
            if (connecting && timeoutNanos() != BLOCKING) {
                return connectResult(s);
            }
            int length = SockAddr.encode(to, s.control, Scratch.TO_ADDR);
            int r = Sys.connect(fdNumber, s.control, Scratch.TO_ADDR, length);
            if (connecting) {
                // blocking mode on the O_NONBLOCK descriptor of a virtual thread: connect(2) again answers as the
                // kernel's own wait would have, 0 once connected, the error (and the kernel's disconnect) once refused
                return r == -Linux.EALREADY || r == -Linux.EINPROGRESS ? -Linux.EAGAIN : r;
            }
            if (r == -Linux.EINPROGRESS || r == -Linux.EINTR) {
                connecting = timeoutNanos() != 0; // a non-blocking caller calls connect again itself
            } else if (r == -Linux.EAGAIN && timeoutNanos() > 0) {
                // as CPython: an AF_UNIX backlog that is full is EAGAIN in timeout mode
                throw error("connect", to, Linux.EAGAIN);
            }
            return r;
        }

        /**
         * After the wait: the connect's outcome as CPython's sock_connect_impl reads it once its poll
         * said ready (any event: writable, hung up or an error), that is SO_ERROR, 0 a success; or
         * EAGAIN while a poll that does not wait says nothing yet, since awaitReady may return early.
         * Not getpeername: a connection that is made and at once gone (a self-connect after
         * SHUT_WR) succeeded for CPython, where getpeername's ENOTCONN kept jsock waiting.
         */
        private long connectResult(Scratch s) {
            s.control.putInt(Scratch.POLLFD, fdNumber);
            s.control.putShort(Scratch.POLLFD + 4, (short) (Linux.POLLOUT | Linux.POLLERR));
            s.control.putShort(Scratch.POLLFD + 6, (short) 0);
            if (Sys.poll(s.control, Scratch.POLLFD, 1, 0) <= 0) {
                return -Linux.EAGAIN; // nothing yet, or EINTR: wait again
            }
            s.control.putInt(Scratch.OPT_LEN, 4);
            int r = Sys.getsockopt(fdNumber, Linux.SOL_SOCKET, Linux.SO_ERROR, s.control, Scratch.OPT, Scratch.OPT_LEN);
            if (r < 0) {
                return r;
            }
            int error = s.control.getInt(Scratch.OPT);
            return error == 0 || error == Linux.EISCONN ? 0 : -error;
        }

        private long transmit(Scratch s) {
            if (pendingErrno != 0) {
                int errno = pendingErrno;
                pendingErrno = 0;
                return -errno;
            }
            int length = src.remaining();
            int toLength = 0;
            if (to != null) {
                toLength = destination.encode(to, s.control, Scratch.TO_ADDR);
            }
            if (!src.isDirect() && stream && length > Scratch.DATA_CAP) {
                return transmitPieces(s, toLength);
            }
            long n;
            if (src.isDirect()) {
                n = send(s, src, null, src.position(), length, toLength, 0);
            } else {
                Mem mem = length <= Scratch.DATA_CAP ? s.data(length) : Mem.allocate(length);
                mem.put(0, src, length);
                n = send(s, null, mem, 0, length, toLength, 0);
            }
            if (n > 0) {
                src.position(src.position() + (int) n);
            }
            return n;
        }

        /**
         * sendmsg(2) of the buffers from {@link #next} on, gathered: for sendall at most IOV_MAX
         * buffers and {@link Scratch#DATA_CAP} heap bytes a call, for sendmsg all of them, as one
         * message must be. Direct buffers go as they are, heap ones through the message's data area.
         */
        private long transmitMessage() {
            if (pendingErrno != 0) {
                int errno = pendingErrno;
                pendingErrno = 0;
                return -errno;
            }
            if (msg == null) {
                msg = new MsgHdr();
            }
            MsgHdr m = msg;
            boolean gather = call == Call.SENDALL;
            long heapCap = gather ? Scratch.DATA_CAP : Integer.MAX_VALUE - 8;
            int iovCap = gather ? MsgHdr.IOV_MAX : Integer.MAX_VALUE;
            int iovs = 0;
            long heap = 0;
            int end = next;
            for (int i = next; i < srcs.length && iovs < iovCap; i++) {
                ByteBuffer b = srcs[i];
                int r = b.remaining();
                end = i + 1;
                if (r == 0) {
                    continue;
                }
                iovs++;
                if (!b.isDirect()) {
                    heap += Math.min(r, heapCap - heap);
                    if (heap == heapCap) {
                        break; // this one cut, or the data area full: nothing after it may go before its rest
                    }
                }
            }
            if (heap > heapCap) {
                return -Linux.EMSGSIZE;
            }
            int controlSize = MsgHdr.controlSize(ancillary);
            try {
                m.begin(iovs, (int) heap, controlSize);
                long heapLeft = heap;
                for (int i = next; i < end; i++) {
                    ByteBuffer b = srcs[i];
                    int r = b.remaining();
                    if (r == 0) {
                        continue;
                    }
                    if (b.isDirect()) {
                        m.iov(b, address(b, i), b.position(), r);
                    } else {
                        int take = (int) Math.min(r, heapLeft);
                        int at = m.dataIov(take);
                        m.data().put(at, b, take);
                        heapLeft -= take;
                    }
                }
                if (to != null) {
                    m.destination(to, destination);
                }
                if (controlSize > 0) {
                    m.putControl(ancillary);
                }
                m.control(controlSize);
                long n = Sys.sendmsg(fdNumber, m, flags);
                if (n > 0) {
                    long left = n;
                    for (int i = next; i < end && left > 0; i++) {
                        ByteBuffer b = srcs[i];
                        int take = (int) Math.min(b.remaining(), left);
                        b.position(b.position() + take);
                        left -= take;
                    }
                }
                return n;
            } finally {
                m.end();
            }
        }

        /**
         * A stream write of more than the scratch holds, in pieces: as one send(2) of that size, it
         * waits (by the mode) for room for the first piece only and then takes what fits. An error
         * of a later piece is the next call's, as one send(2) that had sent bytes would leave it.
         */
        private long transmitPieces(Scratch s, int toLength) {
            Mem mem = s.data(Scratch.DATA_CAP);
            long total = 0;
            int flags = 0;
            while (true) {
                int piece = Math.min(src.remaining(), Scratch.DATA_CAP);
                mem.put(0, src, piece);
                long n = send(s, null, mem, 0, piece, toLength, flags);
                if (n < 0) {
                    if (total == 0) {
                        return n;
                    }
                    if (n != -Linux.EAGAIN && n != -Linux.EINTR) {
                        pendingErrno = (int) -n;
                    }
                    return total;
                }
                src.position(src.position() + (int) n);
                total += n;
                if (n < piece || !src.hasRemaining()) {
                    return total;
                }
                flags = Linux.MSG_DONTWAIT;
            }
        }

        /** send(2) or sendto(2) with the call's flags (MSG_NOSIGNAL among them) and {@code extra}. */
        private long send(Scratch s, ByteBuffer direct, Mem mem, int offset, int length, int toLength, int extra) {
            int flags = this.flags | extra;
            if (toLength == 0) {
                return direct != null ? Sys.send(fdNumber, direct, buffer, offset, length, flags)
                        : Sys.send(fdNumber, mem, offset, length, flags);
            }
            return direct != null
                    ? Sys.sendto(fdNumber, direct, buffer, offset, length, flags, s.control, Scratch.TO_ADDR, toLength)
                    : Sys.sendto(fdNumber, mem, offset, length, flags, s.control, Scratch.TO_ADDR, toLength);
        }
    }

    // ---- waiting and the mode -------------------------------------------------------------

    @Override
    protected void awaitReady(Call call, long nanos) {
        readyWithin(call, nanos);
    }

    @Override
    protected boolean readyWithin(Call call, long nanos) {
        if (call == Call.CONNECT && family() == AddressFamily.AF_UNIX) {
            // nothing signals room in a listener's backlog: back off and try again
            LockSupport.parkNanos(this, Math.min(nanos, CONNECT_BACKOFF_MAX_NANOS));
            return true;
        }
        if (!fd.enter()) {
            return true; // closed: the attempt says so
        }
        try {
            short events = call.direction() == Call.Direction.WRITE ? Linux.POLLOUT : Linux.POLLIN;
            if (Threads.isVirtual()) {
                // ready already: say so at once, not after the poller thread's wake-up, which a loaded
                // machine can delay past a short timeout
                return poll(events, 0) || Poller.await(fdNumber, events == Linux.POLLOUT, nanos);
            }
            return poll(events, nanos);
        } finally {
            fd.leave();
        }
    }

    /**
     * poll(2) until an event or {@code nanos} pass (0: a look that does not wait); false only
     * when the time passed without one.
     */
    private boolean poll(short events, long nanos) {
        long deadline = nanos == Long.MAX_VALUE ? 0 : System.nanoTime() + nanos;
        Scratch s = Scratch.acquire();
        try {
            while (true) {
                int millis = -1;
                if (nanos == 0) {
                    millis = 0;
                } else if (nanos != Long.MAX_VALUE) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                }
                s.control.putInt(Scratch.POLLFD, fdNumber);
                s.control.putShort(Scratch.POLLFD + 4, events);
                s.control.putShort(Scratch.POLLFD + 6, (short) 0);
                int r = Sys.poll(s.control, Scratch.POLLFD, 1, millis);
                if (r != -Linux.EINTR) {
                    return r != 0; // an event, or a failure the attempt will name
                }
            }
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

    /** The descriptor, for {@link EpollReadiness} to hold it open around an epoll_ctl(2). */
    Fd descriptor() {
        return fd;
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
    protected Socket implDup() throws SocketError {
        if (!fd.enter()) {
            throw closedError("dup");
        }
        int copy;
        try {
            copy = Sys.fcntl(fdNumber, Linux.F_DUPFD_CLOEXEC, 0);
        } finally {
            fd.leave();
        }
        if (copy < 0) {
            throw error("dup", null, -copy);
        }
        NativeSocket dup = new NativeSocket(family(), type(), proto(), copy);
        synchronized (modeLock) {
            dup.fdNonBlocking = fdNonBlocking; // the file status flags are the description's, shared with the copy
        }
        return dup;
    }

    @Override
    protected int implDetach() throws SocketError {
        if (timeoutNanos() == BLOCKING) {
            setNonBlocking(false); // the caller gets a blocking descriptor, as the socket's mode was
        }
        if (!fd.release()) {
            throw new SocketError(Errno.EBUSY, "detach: Device or resource busy (another thread is inside a call of this socket)");
        }
        return fdNumber;
    }

    @Override
    protected boolean implGetInheritable() throws SocketError {
        return (fdFlags("get_inheritable", Linux.F_GETFD, 0) & Linux.FD_CLOEXEC) == 0;
    }

    @Override
    protected void implSetInheritable(boolean inheritable) throws SocketError {
        int flags = fdFlags("set_inheritable", Linux.F_GETFD, 0);
        fdFlags("set_inheritable", Linux.F_SETFD, inheritable ? flags & ~Linux.FD_CLOEXEC : flags | Linux.FD_CLOEXEC);
    }

    private int fdFlags(String what, int command, int argument) throws SocketError {
        if (!fd.enter()) {
            throw closedError(what);
        }
        int r;
        try {
            r = Sys.fcntl(fdNumber, command, argument);
        } finally {
            fd.leave();
        }
        if (r < 0) {
            throw error(what, null, -r);
        }
        return r;
    }

    @Override
    protected void implClose() {
        fd.close();
        reader.buffer.forget(); // a closed socket keeps no caller's buffer alive
        writer.buffer.forget();
        writer.forgetArray();
        batchWriter.forget();
        batchReader.forget();
        writer.forgetGathered();
    }

    @Override
    protected void discard(Call call, long result) {
        if (call == Call.ACCEPT) {
            Sys.close((int) result); // accepted as this socket closed: nobody will see it
        } else if (call == Call.RECVMSG || call == Call.RECVMSG_INTO) {
            closeReceived(reader.ancillary); // received as this socket closed: nobody will see them
        }
    }

    // ---- files and batches: sendfile(2), sendmmsg(2), recvmmsg(2) ------------------------

    /** The most one sendfile(2) is asked for, as CPython asks (bpo-38319); the kernel takes at most 0x7ffff000. */
    private static final long SENDFILE_CHUNK = 1L << 30;
    /** The buffer a channel is read through, where no descriptor is at hand. */
    private static final int COPY_BUFFER = 256 * 1024;
    /** The most data one sendmmsg(2) or recvmmsg(2) of jsock carries (one datagram may be bigger). */
    private static final int BATCH_BYTES = 4 * 1024 * 1024;

    @Override
    protected long implSendFile(Path file, long offset, long count) throws SocketError {
        if (file.getFileSystem() != FileSystems.getDefault()) {
            return sendFileThroughChannel(file, offset, count); // a zip file system's entry has no descriptor
        }
        int in = openFile(file);
        long sent;
        try {
            sent = sendFileFrom(in, offset, count);
        } finally {
            Sys.close(in);
        }
        return sent >= 0 ? sent : sendFileThroughChannel(file, offset, count);
    }

    private long sendFileThroughChannel(Path file, long offset, long count) throws SocketError {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return implSendFile(channel, offset, count);
        } catch (IOException e) {
            throw fileError("open " + file, e);
        }
    }

    /** open(2) with O_RDONLY | O_CLOEXEC; open's errno as a SocketError naming the file. */
    private static int openFile(Path file) throws SocketError {
        byte[] name = file.toString().getBytes(pathCharset());
        Mem path = Mem.allocate(name.length + 1);
        path.put(0, name, 0, name.length);
        path.putByte(name.length, (byte) 0);
        int in = Sys.open(path, 0, Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        if (in < 0) {
            throw error("sendfile: open " + file, null, -in);
        }
        return in;
    }

    /** How the JDK writes a path's bytes for the kernel (sun.jnu.encoding), as its own file calls do. */
    private static Charset pathCharset() {
        String jnu = System.getProperty("sun.jnu.encoding");
        try {
            return jnu == null ? StandardCharsets.UTF_8 : Charset.forName(jnu);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * sendfile(2) from {@code in} as CPython's {@code _sendfile_use_sendfile}: until {@code count}
     * bytes (0: the end of the file) went, in chunks of at most 1 GiB, waiting by the mode with one
     * deadline. Returns -1 when sendfile(2) refused the file before any byte went (EINVAL, ENOSYS:
     * not a file it can read), for the caller to read and send it instead, as CPython does.
     */
    private long sendFileFrom(int in, long offset, long count) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            FileSender sender = new FileSender(in, offset);
            long timeout = timeoutNanos();
            long start = System.nanoTime();
            long total = 0;
            while (count == 0 || total < count) {
                sender.want = Math.min(count == 0 ? SENDFILE_CHUNK : count - total, SENDFILE_CHUNK);
                long n;
                try {
                    n = perform(Call.SENDFILE, null, sender, left(timeout, start));
                } catch (SocketError e) {
                    int errno = e.errno().code();
                    if (total == 0 && (errno == Linux.EINVAL || errno == Linux.ENOSYS) && !isClosed()) {
                        return -1;
                    }
                    throw e;
                }
                if (n == 0) {
                    break; // the end of the file
                }
                total += n;
            }
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    /** One sendfile(2) of at most {@code want} bytes from {@code position}, which it advances; guarded by the write lock. */
    private final class FileSender implements Attempt {
        final int in;
        long position;
        long want;

        FileSender(int in, long position) {
            this.in = in;
            this.position = position;
        }

        @Override
        public long attempt() {
            if (!fd.enter()) {
                return -Linux.EBADF;
            }
            Scratch s = Scratch.acquire();
            try {
                s.control.putLong(Scratch.OPT, position);
                long n = Sys.sendfile(fdNumber, in, s.control, Scratch.OPT, want);
                if (n > 0) {
                    position += n;
                }
                return n;
            } finally {
                s.release();
                fd.leave();
            }
        }
    }

    /**
     * A channel's bytes through a direct buffer: positional reads, which leave the channel's
     * position alone, each sent whole before the next read, under one deadline.
     */
    @Override
    protected long implSendFile(FileChannel file, long offset, long count) throws SocketError {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(count == 0 ? COPY_BUFFER : count, COPY_BUFFER));
        writeLock.lock();
        try {
            prepare();
            long timeout = timeoutNanos();
            long start = System.nanoTime();
            long total = 0;
            while (count == 0 || total < count) {
                buffer.clear();
                if (count != 0) {
                    buffer.limit((int) Math.min(buffer.capacity(), count - total));
                }
                int read;
                try {
                    read = file.read(buffer, offset + total);
                } catch (IOException e) {
                    throw fileError("read", e);
                }
                if (read <= 0) {
                    break; // the end of the file
                }
                buffer.flip();
                writer.set(Call.SENDFILE, buffer, 0, null);
                do {
                    perform(Call.SENDFILE, null, writer, left(timeout, start));
                } while (buffer.hasRemaining());
                total += read;
            }
            return total;
        } finally {
            writer.clear();
            writeLock.unlock();
        }
    }

    private static SocketError fileError(String what, IOException e) {
        Errno errno = e instanceof ClosedChannelException ? Errno.EBADF : e instanceof NoSuchFileException
                ? Errno.ENOENT : e instanceof AccessDeniedException ? Errno.EACCES : Errno.EIO;
        return new SocketError(errno, "sendfile: " + what + ": " + errno.description() + " (" + e + ")", e);
    }

    @Override
    protected int implSendMany(List<Datagram> datagrams) throws SocketError {
        writeLock.lock();
        try {
            prepare();
            batchWriter.set(datagrams);
            long timeout = timeoutNanos();
            long start = System.nanoTime();
            int entries = (int) perform(Call.SENDMMSG, null, batchWriter, timeout);
            int went = batchWriter.datagramsIn(entries);
            int taken = batchWriter.taken(entries - 1);
            byte[] last = datagrams.get(went - 1).data();
            if (stream && taken < last.length) {
                // a stream took the last one in part: the rest goes too, so that what went is whole, as sendall
                ByteBuffer rest = ByteBuffer.wrap(last, taken, last.length - taken);
                writer.set(Call.SENDMMSG, rest, 0, null);
                do {
                    perform(Call.SENDMMSG, null, writer, left(timeout, start));
                } while (rest.hasRemaining());
            }
            return went;
        } finally {
            writer.clear();
            batchWriter.clear();
            writeLock.unlock();
        }
    }

    @Override
    protected List<Datagram> implRecvMany(int maxDatagrams, int bufsize) throws SocketError {
        if (bufsize > BATCH_BYTES) {
            // room for one only: recvfrom, which takes no more memory than the datagram needs
            return List.of(implRecvFrom(bufsize));
        }
        readLock.lock();
        try {
            prepare();
            batchReader.set(maxDatagrams, bufsize);
            perform(Call.RECVMMSG, null, batchReader);
            return batchReader.received;
        } finally {
            batchReader.clear();
            readLock.unlock();
        }
    }

    /**
     * sendmmsg(2) of a batch copied once into this side's memory; each try is MSG_DONTWAIT, so a
     * blocking call waits in the loop until one datagram can go and never blocks on a later one.
     *
     * <p>On UDP, a run of datagrams to the same address of one size (the last of the run may be
     * shorter) goes as one entry with UDP_SEGMENT (generic segmentation offload, udp(7)): the kernel
     * passes it through its stack once and cuts it into the same datagrams at the end, each whole,
     * in order. Where the kernel or the route refuses that (EIO, EINVAL, ENOPROTOOPT), the socket
     * sends entry by datagram from then on.
     */
    private final class BatchWriter implements Attempt {
        /** sizeof a UDP_SEGMENT control message: CMSG_SPACE(sizeof(uint16_t)). */
        private static final int SEGMENT_CMSG = MsgHdr.CmsgHdr.SIZE + 8;
        /** The most payload one segmented entry carries: an IPv6 UDP payload with room for the headers. */
        private static final int SEGMENTED_BYTES = 65_000;
        private Mem mem;
        private int n;
        private int[] perEntry = new int[0];
        private boolean segmented;
        private List<Datagram> datagrams;
        private volatile boolean segmentationRefused = stream || proto() == Linux.IPPROTO_UDPLITE
                || (family() != AddressFamily.AF_INET && family() != AddressFamily.AF_INET6);

        void set(List<Datagram> datagrams) throws SocketError {
            this.datagrams = datagrams;
            boolean segment = !segmentationRefused;
            int count = Math.min(datagrams.size(), segment ? Integer.MAX_VALUE : Linux.UIO_MAXIOV);
            if (perEntry.length < Math.min(count, Linux.UIO_MAXIOV)) {
                perEntry = new int[Math.min(count, Linux.UIO_MAXIOV)];
            }
            long bytes = 0;
            int take = 0;
            int entries = 0;
            while (take < count && entries < Linux.UIO_MAXIOV && (take == 0 || bytes + datagrams.get(take).data().length <= BATCH_BYTES)) {
                int run = segment ? run(datagrams, take, count, BATCH_BYTES - bytes) : 1;
                for (int i = take; i < take + run; i++) {
                    bytes += datagrams.get(i).data().length;
                }
                perEntry[entries++] = run;
                take += run;
            }
            n = entries;
            segmented = entries < take;
            long size = MmsgHdr.data(n) + (long) n * SEGMENT_CMSG + bytes;
            if (size > Integer.MAX_VALUE) {
                throw new SocketError(Errno.EMSGSIZE, "sendmmsg: " + Errno.EMSGSIZE.description());
            }
            Mem m = MmsgHdr.atLeast(mem, (int) size);
            mem = m;
            int control = MmsgHdr.data(n);
            int at = control + n * SEGMENT_CMSG;
            int d = 0;
            for (int e = 0; e < n; e++) {
                Datagram first = datagrams.get(d);
                int nameLength = first.address() == null ? 0 : SockAddr.encode(first.address(), m, MmsgHdr.name(n, e));
                int begin = at;
                for (int k = 0; k < perEntry[e]; k++) {
                    byte[] data = datagrams.get(d + k).data();
                    m.put(at, data, 0, data.length);
                    at += data.length;
                }
                MmsgHdr.put(m, n, e, nameLength, begin, at - begin);
                if (perEntry[e] > 1) {
                    int c = control + e * SEGMENT_CMSG;
                    m.putLong(c + MsgHdr.CmsgHdr.LEN, MsgHdr.CmsgHdr.SIZE + 2);
                    m.putInt(c + MsgHdr.CmsgHdr.LEVEL, Linux.SOL_UDP);
                    m.putInt(c + MsgHdr.CmsgHdr.TYPE, Linux.UDP_SEGMENT);
                    m.putShort(c + MsgHdr.CmsgHdr.SIZE, (short) first.data().length);
                    m.putAddressOf(MmsgHdr.header(e) + MmsgHdr.CONTROL, c);
                    m.putLong(MmsgHdr.header(e) + MmsgHdr.CONTROLLEN, SEGMENT_CMSG);
                }
                d += perEntry[e];
            }
        }

        /**
         * How many datagrams from {@code from} go as one segmented entry: those to the same address
         * with the first one's (non-zero) size, the last of them possibly shorter, within the
         * kernel's limits of segments and bytes.
         */
        private int run(List<Datagram> datagrams, int from, int count, long room) {
            Datagram first = datagrams.get(from);
            int size = first.data().length;
            if (size == 0) {
                return 1;
            }
            long bytes = size;
            int run = 1;
            while (from + run < count && run < Linux.UDP_MAX_SEGMENTS) {
                Datagram next = datagrams.get(from + run);
                int length = next.data().length;
                if (length == 0 || length > size || bytes + length > Math.min(SEGMENTED_BYTES, room)
                        || !java.util.Objects.equals(next.address(), first.address())) {
                    break;
                }
                bytes += length;
                run++;
                if (length < size) {
                    break; // a shorter one ends the run: the kernel cuts every segment but the last at the first's size
                }
            }
            return run;
        }

        /** How many datagrams the first {@code entries} entries of the batch carried. */
        int datagramsIn(int entries) {
            int total = 0;
            for (int e = 0; e < entries; e++) {
                total += perEntry[e];
            }
            return total;
        }

        void clear() {
            n = 0;
            datagrams = null;
        }

        void forget() {
            mem = null;
        }

        /** How many bytes of entry {@code i} the kernel took (its msg_len); all of it once a close forgot the memory. */
        int taken(int i) {
            Mem m = mem;
            return m == null ? Integer.MAX_VALUE : m.getInt(MmsgHdr.header(i) + MmsgHdr.LEN);
        }

        @Override
        public long attempt() {
            Mem m = mem;
            if (m == null || !fd.enter()) {
                return -Linux.EBADF;
            }
            try {
                long r = Sys.sendmmsg(fdNumber, m, 0, n, Linux.MSG_NOSIGNAL | Linux.MSG_DONTWAIT);
                if (segmented && (r == -Linux.EIO || r == -Linux.EINVAL || r == -Linux.ENOPROTOOPT)) {
                    // the kernel or the route takes no segmentation: the same batch, a datagram an entry
                    segmentationRefused = true;
                    try {
                        set(datagrams);
                    } catch (SocketError e) {
                        return -e.errno().code();
                    }
                    m = mem;
                    r = Sys.sendmmsg(fdNumber, m, 0, n, Linux.MSG_NOSIGNAL | Linux.MSG_DONTWAIT);
                }
                return r;
            } finally {
                fd.leave();
            }
        }
    }

    /**
     * recvmmsg(2) into this side's memory; each try is MSG_DONTWAIT, so the loop waits (by the mode)
     * for the first datagram and the call takes what is queued besides.
     */
    private final class BatchReader implements Attempt {
        private final SockAddr.Cache senders = new SockAddr.Cache();
        private Mem mem;
        private int n;
        private int bufsize;
        List<Datagram> received;

        void set(int maxDatagrams, int bufsize) {
            int fit = bufsize == 0 ? Linux.UIO_MAXIOV : Math.max(1, BATCH_BYTES / bufsize);
            n = Math.min(Math.min(maxDatagrams, Linux.UIO_MAXIOV), fit);
            this.bufsize = bufsize;
            mem = MmsgHdr.atLeast(mem, (int) Math.min(Integer.MAX_VALUE, MmsgHdr.data(n) + (long) n * bufsize));
            received = null;
        }

        void clear() {
            received = null;
        }

        void forget() {
            mem = null;
        }

        @Override
        public long attempt() {
            Mem m = mem;
            if (m == null || !fd.enter()) {
                return -Linux.EBADF;
            }
            try {
                int data = MmsgHdr.data(n);
                for (int i = 0; i < n; i++) {
                    MmsgHdr.put(m, n, i, SockAddr.STORAGE, data + i * bufsize, bufsize);
                }
                int r = Sys.recvmmsg(fdNumber, m, 0, n, Linux.MSG_DONTWAIT);
                if (r > 0) {
                    List<Datagram> got = new ArrayList<>(r);
                    for (int i = 0; i < r; i++) {
                        int h = MmsgHdr.header(i);
                        int length = (int) Math.min(Integer.toUnsignedLong(m.getInt(h + MmsgHdr.LEN)), bufsize);
                        byte[] bytes = new byte[length];
                        m.get(data + i * bufsize, bytes, 0, length);
                        got.add(new Datagram(bytes, senders.decode(m, MmsgHdr.name(n, i), m.getInt(h + MmsgHdr.NAMELEN))));
                        if (stream && length == 0 && bufsize > 0) {
                            break; // the end of the stream; Linux fills every later entry with it too
                        }
                    }
                    received = got;
                }
                return r;
            } finally {
                fd.leave();
            }
        }
    }
}
