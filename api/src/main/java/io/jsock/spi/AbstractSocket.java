package io.jsock.spi;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Ancillary;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Message;
import io.jsock.MessageInto;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.UnixAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The base of a provider's sockets: every public method checks its arguments and the closed state
 * here, in one place and before any I/O, then calls the provider's {@code impl*} method. A provider
 * writes the system calls and the translation of its backend's failures into {@link SocketError}.
 *
 * <p>Checks made here: {@code null} arguments ({@link NullPointerException} naming them), negative
 * sizes and timeouts and read-only destination buffers ({@link IllegalArgumentException}), closed
 * socket ({@link Errno#EBADF}), unsupported option ({@link Errno#ENOPROTOOPT}), and addresses:
 * {@link #checkAddress} resolves an unresolved {@link InetSocketAddress}, rejects one of the other
 * IP family, converts {@link UnixDomainSocketAddress} to {@link UnixAddress}, and refuses an
 * AF_UNIX name longer than {@code sun_path} with {@link Errno#ENAMETOOLONG}.
 */
public abstract class AbstractSocket implements Socket {
    private final AddressFamily family;
    private final SocketType type;
    private final int proto;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Blocker blocker = new Blocker();
    /** Open streams of {@link #inputStream()} and {@link #outputStream()}; a close waits for them. */
    private final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closeAsked;
    private volatile Duration timeout;
    /** The mode as one value: {@link #BLOCKING}, 0 for non-blocking, or the timeout in nanoseconds. */
    private volatile long timeoutNanos = BLOCKING;

    /** {@link #timeoutNanos()} of a socket in blocking mode. */
    protected static final long BLOCKING = -1;

    /**
     * @param family the socket's family
     * @param type   its type
     * @param proto  its protocol number as the caller gave it (0 for the default)
     */
    protected AbstractSocket(AddressFamily family, SocketType type, int proto) {
        this.family = Objects.requireNonNull(family, "family");
        this.type = Objects.requireNonNull(type, "type");
        this.proto = proto;
    }

    // ---- what a provider implements -------------------------------------------------------

    /** bind(2) with a checked address. */
    protected abstract void implBind(SocketAddress address) throws SocketError;

    /** listen(2); {@code backlog} is at least 0. */
    protected abstract void implListen(int backlog) throws SocketError;

    /** accept(2) in the current mode. */
    protected abstract Accepted implAccept() throws SocketError;

    /** connect(2) in the current mode with a checked address. */
    protected abstract void implConnect(SocketAddress address) throws SocketError;

    /** recv(2) of up to {@code bufsize} bytes, {@code bufsize >= 0}. */
    protected abstract byte[] implRecv(int bufsize) throws SocketError;

    /** recv(2) into a writable buffer. */
    protected abstract int implRecvInto(ByteBuffer dst) throws SocketError;

    /** recvfrom(2) of up to {@code bufsize} bytes. */
    protected abstract Datagram implRecvFrom(int bufsize) throws SocketError;

    /** recvfrom(2) into a writable buffer. */
    protected abstract SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError;

    /** send(2) of the remaining bytes of {@code src}. */
    protected abstract int implSend(ByteBuffer src) throws SocketError;

    /** Every remaining byte of {@code src}; the timeout covers the whole call. */
    protected abstract void implSendAll(ByteBuffer src) throws SocketError;

    /** sendto(2) with a checked address. */
    protected abstract int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError;

    /** recv(2) with flags other than 0. The default says {@link Errno#EOPNOTSUPP}: a provider that takes flags overrides the six. */
    protected byte[] implRecv(int bufsize, int flags) throws SocketError {
        throw noFlags("recv", flags);
    }

    /** recv(2) into a buffer with flags other than 0; default EOPNOTSUPP. */
    protected int implRecvInto(ByteBuffer dst, int flags) throws SocketError {
        throw noFlags("recv_into", flags);
    }

    /** recvfrom(2) with flags other than 0; default EOPNOTSUPP. */
    protected Datagram implRecvFrom(int bufsize, int flags) throws SocketError {
        throw noFlags("recvfrom", flags);
    }

    /** recvfrom(2) into a buffer with flags other than 0; default EOPNOTSUPP. */
    protected SocketAddress implRecvFromInto(ByteBuffer dst, int flags) throws SocketError {
        throw noFlags("recvfrom_into", flags);
    }

    /** send(2) with flags other than 0; default EOPNOTSUPP. */
    protected int implSend(ByteBuffer src, int flags) throws SocketError {
        throw noFlags("send", flags);
    }

    /** sendall with flags other than 0; default EOPNOTSUPP. */
    protected void implSendAll(ByteBuffer src, int flags) throws SocketError {
        throw noFlags("sendall", flags);
    }

    /** sendto(2) with flags other than 0; default EOPNOTSUPP. */
    protected int implSendTo(ByteBuffer src, int flags, SocketAddress address) throws SocketError {
        throw noFlags("sendto", flags);
    }

    /**
     * send(2) of an array, with flags or 0. The default wraps it in a {@link ByteBuffer}; a provider
     * that can send the array without a new object overrides it, so that {@code send(byte[])}
     * allocates nothing.
     */
    protected int implSend(byte[] data, int flags) throws SocketError {
        ByteBuffer src = ByteBuffer.wrap(data);
        return flags == 0 ? implSend(src) : implSend(src, flags);
    }

    /** Every byte of an array, as {@link #implSend(byte[], int)} is to {@link #implSend(ByteBuffer)}. */
    protected void implSendAll(byte[] data, int flags) throws SocketError {
        ByteBuffer src = ByteBuffer.wrap(data);
        if (flags == 0) {
            implSendAll(src);
        } else {
            implSendAll(src, flags);
        }
    }

    /** sendto(2) of an array, as {@link #implSend(byte[], int)} is to {@link #implSend(ByteBuffer)}. */
    protected int implSendTo(byte[] data, int flags, SocketAddress address) throws SocketError {
        ByteBuffer src = ByteBuffer.wrap(data);
        return flags == 0 ? implSendTo(src, address) : implSendTo(src, flags, address);
    }

    private SocketError noFlags(String call, int flags) {
        return new SocketError(Errno.EOPNOTSUPP, call + " with flags 0x" + Integer.toHexString(flags)
                + ": Operation not supported (provider " + getClass().getName() + " takes no flags)");
    }

    /** shutdown(2). */
    protected abstract void implShutdown(io.jsock.Shutdown how) throws SocketError;

    /** Switches the backend to the mode of {@code timeout}: null blocking, zero non-blocking. */
    protected abstract void implSetTimeout(Duration timeout) throws SocketError;

    /** getpeername(2). */
    protected abstract SocketAddress implGetPeerName() throws SocketError;

    /** getsockname(2). */
    protected abstract SocketAddress implGetSockName() throws SocketError;

    /** The descriptor of an open socket, or {@link Errno#EOPNOTSUPP} saying why it is out of reach. */
    protected abstract int implFileno() throws SocketError;

    /** setsockopt(2) of a supported option with a non-null value. */
    protected abstract <T> void implSetOption(SocketOption<T> option, T value) throws SocketError;

    /** getsockopt(2) of a supported option. */
    protected abstract <T> T implGetOption(SocketOption<T> option) throws SocketError;

    /** close(2); called once. Must not throw, and must end calls blocked in other threads. */
    protected abstract void implClose();

    // ---- the checked public operations ----------------------------------------------------

    @Override
    public final AddressFamily family() {
        return family;
    }

    @Override
    public final SocketType type() {
        return type;
    }

    @Override
    public final int proto() {
        return proto;
    }

    @Override
    public final void bind(SocketAddress address) throws SocketError {
        requireOpen("bind");
        implBind(checkAddress("bind", address));
    }

    @Override
    public final void listen(int backlog) throws SocketError {
        requireOpen("listen");
        implListen(Math.max(backlog, 0));
    }

    @Override
    public final Accepted accept() throws SocketError {
        requireOpen("accept");
        Accepted accepted = implAccept();
        Duration d = io.jsock.Sockets.getDefaultTimeout();
        if (d != null) {
            try {
                accepted.socket().setTimeout(d); // as CPython: the default timeout, not the listener's
            } catch (SocketError | RuntimeException e) {
                accepted.socket().close();
                throw e;
            }
        }
        return accepted;
    }

    @Override
    public final Socket dup() throws SocketError {
        requireOpen("dup");
        Socket copy = implDup();
        try {
            copy.setTimeout(getTimeout());
        } catch (SocketError | RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    @Override
    public final int detach() throws SocketError {
        requireOpen("detach");
        int fd = implDetach();
        closeNow(); // the descriptor is the caller's now: implClose finds nothing to close
        return fd;
    }

    @Override
    public final boolean getInheritable() throws SocketError {
        requireOpen("get_inheritable");
        return implGetInheritable();
    }

    @Override
    public final void setInheritable(boolean inheritable) throws SocketError {
        requireOpen("set_inheritable");
        implSetInheritable(inheritable);
    }

    /** dup(2): a new socket object of this provider on a copy of the descriptor. Default: EOPNOTSUPP. */
    protected Socket implDup() throws SocketError {
        throw unsupported("dup");
    }

    /**
     * Gives the descriptor up: after this, {@link #implClose()} must not close it. Default:
     * EOPNOTSUPP, for a provider without a descriptor of its own.
     */
    protected int implDetach() throws SocketError {
        throw unsupported("detach");
    }

    /** Whether the descriptor lacks FD_CLOEXEC. Default: EOPNOTSUPP. */
    protected boolean implGetInheritable() throws SocketError {
        throw unsupported("get_inheritable");
    }

    /** Sets or clears FD_CLOEXEC. Default: EOPNOTSUPP. */
    protected void implSetInheritable(boolean inheritable) throws SocketError {
        throw unsupported("set_inheritable");
    }

    private SocketError unsupported(String call) {
        return new SocketError(Errno.EOPNOTSUPP, call + ": Operation not supported (provider " + getClass().getName()
                + " does not expose its descriptor)");
    }

    @Override
    public final void connect(SocketAddress address) throws SocketError {
        requireOpen("connect");
        implConnect(checkAddress("connect", address));
    }

    @Override
    public final int connectEx(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        try {
            connect(address);
            return 0;
        } catch (SocketTimeoutError e) {
            return Errno.EAGAIN.code(); // CPython's connect_ex reports a timeout as EWOULDBLOCK
        } catch (SocketError e) {
            return e.errno().code();
        }
    }

    @Override
    public final byte[] recv(int bufsize) throws SocketError {
        return recv(bufsize, 0);
    }

    @Override
    public final byte[] recv(int bufsize, int flags) throws SocketError {
        checkBufsize(bufsize);
        requireOpen("recv");
        return flags == 0 ? implRecv(bufsize) : implRecv(bufsize, flags);
    }

    @Override
    public final int recvInto(ByteBuffer dst) throws SocketError {
        return recvInto(dst, 0);
    }

    @Override
    public final int recvInto(ByteBuffer dst, int flags) throws SocketError {
        checkWritable(dst);
        requireOpen("recv_into");
        return flags == 0 ? implRecvInto(dst) : implRecvInto(dst, flags);
    }

    @Override
    public final Datagram recvFrom(int bufsize) throws SocketError {
        return recvFrom(bufsize, 0);
    }

    @Override
    public final Datagram recvFrom(int bufsize, int flags) throws SocketError {
        checkBufsize(bufsize);
        requireOpen("recvfrom");
        return flags == 0 ? implRecvFrom(bufsize) : implRecvFrom(bufsize, flags);
    }

    @Override
    public final SocketAddress recvFromInto(ByteBuffer dst) throws SocketError {
        return recvFromInto(dst, 0);
    }

    @Override
    public final SocketAddress recvFromInto(ByteBuffer dst, int flags) throws SocketError {
        checkWritable(dst);
        requireOpen("recvfrom_into");
        return flags == 0 ? implRecvFromInto(dst) : implRecvFromInto(dst, flags);
    }

    @Override
    public final int send(byte[] data) throws SocketError {
        return send(data, 0);
    }

    @Override
    public final int send(byte[] data, int flags) throws SocketError {
        Objects.requireNonNull(data, "data");
        requireOpen("send");
        return implSend(data, flags);
    }

    @Override
    public final int send(ByteBuffer src) throws SocketError {
        return send(src, 0);
    }

    @Override
    public final int send(ByteBuffer src, int flags) throws SocketError {
        Objects.requireNonNull(src, "src");
        requireOpen("send");
        return flags == 0 ? implSend(src) : implSend(src, flags);
    }

    @Override
    public final void sendAll(byte[] data) throws SocketError {
        sendAll(data, 0);
    }

    @Override
    public final void sendAll(byte[] data, int flags) throws SocketError {
        Objects.requireNonNull(data, "data");
        requireOpen("sendall");
        implSendAll(data, flags);
    }

    @Override
    public final void sendAll(ByteBuffer src) throws SocketError {
        sendAll(src, 0);
    }

    @Override
    public final void sendAll(ByteBuffer src, int flags) throws SocketError {
        Objects.requireNonNull(src, "src");
        requireOpen("sendall");
        if (flags == 0) {
            implSendAll(src);
        } else {
            implSendAll(src, flags);
        }
    }

    @Override
    public final int sendTo(byte[] data, SocketAddress address) throws SocketError {
        return sendTo(data, 0, address);
    }

    @Override
    public final int sendTo(byte[] data, int flags, SocketAddress address) throws SocketError {
        Objects.requireNonNull(data, "data");
        SocketAddress checked = checkAddress("sendto", address);
        requireOpen("sendto");
        return implSendTo(data, flags, checked);
    }

    @Override
    public final int sendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        return sendTo(src, 0, address);
    }

    @Override
    public final int sendTo(ByteBuffer src, int flags, SocketAddress address) throws SocketError {
        Objects.requireNonNull(src, "src");
        SocketAddress checked = checkAddress("sendto", address);
        requireOpen("sendto");
        return flags == 0 ? implSendTo(src, checked) : implSendTo(src, flags, checked);
    }

    @Override
    public final void sendAll(List<ByteBuffer> srcs) throws SocketError {
        ByteBuffer[] checked = checkBuffers("srcs", srcs, false);
        requireOpen("sendall");
        implSendAll(checked);
    }

    @Override
    public final int sendMsg(List<ByteBuffer> buffers, List<Ancillary> ancillary, int flags, SocketAddress address)
            throws SocketError {
        ByteBuffer[] checked = checkBuffers("buffers", buffers, false);
        Objects.requireNonNull(ancillary, "ancillary");
        Ancillary[] control = ancillary.toArray(new Ancillary[0]);
        for (int i = 0; i < control.length; i++) {
            Objects.requireNonNull(control[i], "ancillary[" + i + "]");
        }
        SocketAddress to = address == null ? null : checkAddress("sendmsg", address);
        requireOpen("sendmsg");
        return implSendMsg(checked, control, flags, to);
    }

    @Override
    public final Message recvMsg(int bufsize, int ancBufsize, int flags) throws SocketError {
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffer size in recvmsg(): " + bufsize);
        }
        checkAncBufsize(ancBufsize);
        requireOpen("recvmsg");
        return implRecvMsg(bufsize, ancBufsize, flags);
    }

    @Override
    public final MessageInto recvMsgInto(List<ByteBuffer> buffers, int ancBufsize, int flags) throws SocketError {
        ByteBuffer[] checked = checkBuffers("buffers", buffers, true);
        checkAncBufsize(ancBufsize);
        requireOpen("recvmsg_into");
        return implRecvMsgInto(checked, ancBufsize, flags);
    }

    /**
     * Every remaining byte of {@code srcs} in order; a provider that gathers overrides this. The
     * default sends one buffer after another with {@link #implSendAll(ByteBuffer)}, each with the
     * socket's whole timeout.
     */
    protected void implSendAll(ByteBuffer[] srcs) throws SocketError {
        for (ByteBuffer src : srcs) {
            implSendAll(src);
        }
    }

    /** sendmsg(2); the arguments are checked. Default: EOPNOTSUPP. */
    protected int implSendMsg(ByteBuffer[] buffers, Ancillary[] ancillary, int flags, SocketAddress address) throws SocketError {
        throw new SocketError(Errno.EOPNOTSUPP, "sendmsg: Operation not supported (provider " + getClass().getName() + ")");
    }

    /** recvmsg(2); the arguments are checked. Default: EOPNOTSUPP. */
    protected Message implRecvMsg(int bufsize, int ancBufsize, int flags) throws SocketError {
        throw new SocketError(Errno.EOPNOTSUPP, "recvmsg: Operation not supported (provider " + getClass().getName() + ")");
    }

    /** recvmsg(2) scattered into buffers that are writable; the arguments are checked. Default: EOPNOTSUPP. */
    protected MessageInto implRecvMsgInto(ByteBuffer[] buffers, int ancBufsize, int flags) throws SocketError {
        throw new SocketError(Errno.EOPNOTSUPP, "recvmsg_into: Operation not supported (provider " + getClass().getName() + ")");
    }

    private static ByteBuffer[] checkBuffers(String name, List<ByteBuffer> buffers, boolean writable) {
        Objects.requireNonNull(buffers, name);
        ByteBuffer[] array = buffers.toArray(new ByteBuffer[0]);
        for (int i = 0; i < array.length; i++) {
            Objects.requireNonNull(array[i], name + "[" + i + "]");
            if (writable && array[i].isReadOnly()) {
                throw new IllegalArgumentException(name + "[" + i + "] is a read-only buffer");
            }
        }
        return array;
    }

    private static void checkAncBufsize(int ancBufsize) {
        if (ancBufsize < 0) {
            throw new IllegalArgumentException("invalid ancillary data buffer length: " + ancBufsize);
        }
    }

    @Override
    public final void shutdown(io.jsock.Shutdown how) throws SocketError {
        Objects.requireNonNull(how, "how");
        requireOpen("shutdown");
        implShutdown(how);
    }

    @Override
    public final void setTimeout(Duration timeout) throws SocketError {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        requireOpen("settimeout");
        implSetTimeout(timeout);
        this.timeout = timeout;
        this.timeoutNanos = timeout == null ? BLOCKING : saturatedNanos(timeout);
    }

    /** A duration in nanoseconds, {@link Long#MAX_VALUE} for any longer than 292 years. */
    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** The mode as one value: {@link #BLOCKING}, 0 for non-blocking, else the timeout in nanoseconds. */
    protected final long timeoutNanos() {
        return timeoutNanos;
    }

    @Override
    public final Duration getTimeout() {
        return timeout;
    }

    @Override
    public final void setBlocking(boolean blocking) throws SocketError {
        setTimeout(blocking ? null : Duration.ZERO);
    }

    @Override
    public final boolean getBlocking() {
        Duration t = timeout;
        return t == null || !t.isZero();
    }

    @Override
    public final SocketAddress getPeerName() throws SocketError {
        requireOpen("getpeername");
        return implGetPeerName();
    }

    @Override
    public final SocketAddress getSockName() throws SocketError {
        requireOpen("getsockname");
        return implGetSockName();
    }

    @Override
    public final int fileno() throws SocketError {
        if (isClosed()) {
            return -1;
        }
        return implFileno();
    }

    @Override
    public final <T> void setOption(SocketOption<T> option, T value) throws SocketError {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        requireOpen("setsockopt " + option.name());
        requireSupported(option, "setsockopt");
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException("value for " + option.name() + " must be a " + option.type().getSimpleName()
                    + ", got " + value.getClass().getSimpleName());
        }
        implSetOption(option, value);
    }

    @Override
    public final <T> T getOption(SocketOption<T> option) throws SocketError {
        Objects.requireNonNull(option, "option");
        requireOpen("getsockopt " + option.name());
        requireSupported(option, "getsockopt");
        return implGetOption(option);
    }

    @Override
    public final void setOption(int level, int optname, int value) throws SocketError {
        requireOpen("setsockopt");
        implSetOption(level, optname, nativeInt(value));
    }

    @Override
    public final void setOption(int level, int optname, byte[] value) throws SocketError {
        Objects.requireNonNull(value, "value");
        requireOpen("setsockopt");
        implSetOption(level, optname, value.clone());
    }

    @Override
    public final int getOption(int level, int optname) throws SocketError {
        requireOpen("getsockopt");
        byte[] v = implGetOption(level, optname, 4);
        if (v.length < 4) {
            byte[] padded = new byte[4];
            System.arraycopy(v, 0, padded, 0, v.length);
            v = padded;
        }
        return ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder()).getInt();
    }

    @Override
    public final byte[] getOption(int level, int optname, int buflen) throws SocketError {
        if (buflen <= 0 || buflen > 1024) {
            throw new IllegalArgumentException("buflen must be 1 to 1024, as in CPython, got " + buflen);
        }
        requireOpen("getsockopt");
        return implGetOption(level, optname, buflen);
    }

    private static byte[] nativeInt(int value) {
        return ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(0, value).array();
    }

    /**
     * setsockopt(2) with a raw value (an int's four bytes in native order for the int variant).
     * The default says {@link Errno#EOPNOTSUPP}: a provider that reaches the system overrides it.
     */
    protected void implSetOption(int level, int optname, byte[] value) throws SocketError {
        throw new SocketError(Errno.EOPNOTSUPP, "setsockopt(" + level + ", " + optname + "): Operation not supported (provider "
                + getClass().getName() + " has no options by number)");
    }

    /** getsockopt(2) into {@code buflen} bytes; the result has the length the kernel gave. Default: EOPNOTSUPP. */
    protected byte[] implGetOption(int level, int optname, int buflen) throws SocketError {
        throw new SocketError(Errno.EOPNOTSUPP, "getsockopt(" + level + ", " + optname + "): Operation not supported (provider "
                + getClass().getName() + " has no options by number)");
    }

    @Override
    public InputStream inputStream() throws SocketError {
        requireOpen("makefile");
        streams.incrementAndGet();
        return new SocketInputStream();
    }

    @Override
    public OutputStream outputStream() throws SocketError {
        requireOpen("makefile");
        streams.incrementAndGet();
        return new SocketOutputStream();
    }

    /** A stream of this socket was closed: the last one out carries out a close asked meanwhile. */
    private void streamClosed() {
        if (streams.decrementAndGet() == 0 && closeAsked) {
            closeNow();
        }
    }

    @Override
    public final boolean isClosed() {
        return closed.get();
    }

    @Override
    public final void close() {
        closeAsked = true;
        if (streams.get() == 0) {
            closeNow();
        }
    }

    private void closeNow() {
        try {
            blocker.close(); // through the channel, so that a waiting call's end() sees the close
        } catch (IOException impossible) {
            throw new IllegalStateException("close never fails", impossible);
        }
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            implClose();
        }
    }

    /**
     * The JDK's hook for {@link Thread#interrupt()}: between {@code begin()} and {@code end()} an
     * interrupt closes it, and so the socket, as {@link java.nio.channels.InterruptibleChannel} does.
     */
    private final class Blocker extends AbstractInterruptibleChannel {
        void enter() {
            begin();
        }

        void exit(boolean completed) throws AsynchronousCloseException {
            end(completed);
        }

        @Override
        protected void implCloseChannel() {
            closeOnce();
        }
    }

    // ---- files and batches: sendfile(2), sendmmsg(2), recvmmsg(2) ------------------------

    @Override
    public final long sendFile(Path file, long offset, long count) throws SocketError {
        Objects.requireNonNull(file, "file");
        checkSendFile(offset, count);
        return implSendFile(file, offset, count);
    }

    @Override
    public final long sendFile(FileChannel file, long offset, long count) throws SocketError {
        Objects.requireNonNull(file, "file");
        if (!file.isOpen()) {
            throw new IllegalArgumentException("file is a closed channel");
        }
        checkSendFile(offset, count);
        return implSendFile(file, offset, count);
    }

    /** CPython's checks, in its order, before any I/O: the arguments, the socket's type, its mode; then closed is EBADF. */
    private void checkSendFile(long offset, long count) throws SocketError {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative (0 sends to the end of the file), got " + count);
        }
        if ((type.value() & SocketType.SOCK_STREAM.value()) == 0) { // CPython tests self.type & SOCK_STREAM
            throw new IllegalArgumentException("sendfile: only SOCK_STREAM type sockets are supported, this is " + type);
        }
        if (timeoutNanos == 0) {
            throw new IllegalArgumentException("sendfile: non-blocking sockets are not supported");
        }
        requireOpen("sendfile");
    }

    @Override
    public final int sendMany(List<Datagram> datagrams) throws SocketError {
        Objects.requireNonNull(datagrams, "datagrams");
        List<Datagram> checked = new ArrayList<>(datagrams.size());
        for (int i = 0; i < datagrams.size(); i++) {
            Datagram d = Objects.requireNonNull(datagrams.get(i), "datagrams[" + i + "]");
            checked.add(d.address() == null ? d : new Datagram(d.data(), checkAddress("sendmmsg", d.address())));
        }
        requireOpen("sendmmsg");
        return checked.isEmpty() ? 0 : implSendMany(checked);
    }

    @Override
    public final List<Datagram> recvMany(int maxDatagrams, int bufsize) throws SocketError {
        if (maxDatagrams < 1) {
            throw new IllegalArgumentException("maxDatagrams must be at least 1, got " + maxDatagrams);
        }
        checkBufsize(bufsize);
        requireOpen("recvmmsg");
        return implRecvMany(maxDatagrams, bufsize);
    }

    /**
     * sendfile(2) of a file, the arguments checked (offset and count not negative, a stream type,
     * not non-blocking, open). Default: EOPNOTSUPP.
     */
    protected long implSendFile(Path file, long offset, long count) throws SocketError {
        throw notOffered("sendfile");
    }

    /** {@link #implSendFile(Path, long, long)} from an open channel, whose position must stay. Default: EOPNOTSUPP. */
    protected long implSendFile(FileChannel file, long offset, long count) throws SocketError {
        throw notOffered("sendfile");
    }

    /** sendmmsg(2) of a non-empty list whose addresses are checked (null: the peer). Default: EOPNOTSUPP. */
    protected int implSendMany(List<Datagram> datagrams) throws SocketError {
        throw notOffered("sendmmsg");
    }

    /** recvmmsg(2) of at most {@code maxDatagrams} (at least 1), each of at most {@code bufsize} bytes. Default: EOPNOTSUPP. */
    protected List<Datagram> implRecvMany(int maxDatagrams, int bufsize) throws SocketError {
        throw notOffered("recvmmsg");
    }

    private SocketError notOffered(String call) {
        return new SocketError(Errno.EOPNOTSUPP, call + ": Operation not supported (provider " + getClass().getName()
                + " does not offer it)");
    }

    // ---- the one call loop ----------------------------------------------------------------

    /** One try of a call that never waits: its result ({@code >= 0}) or {@code -errno}. */
    @FunctionalInterface
    protected interface Attempt {
        long attempt() throws SocketError;
    }

    /**
     * Waits until the descriptor may be ready for {@code call}'s direction, at most {@code nanos}
     * ({@link Long#MAX_VALUE}: no limit), and returns early, without an error, when the socket is
     * closed. A false "ready" is fine: {@link #perform} tries again. Providers that use
     * {@link #perform} implement this; the default refuses.
     */
    protected void awaitReady(Call call, long nanos) throws SocketError {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement awaitReady");
    }

    /**
     * Waits as {@link #awaitReady} does and says how the wait ended: {@code true} when the
     * descriptor is (or may be) ready or the socket was closed, {@code false} when {@code nanos}
     * passed and it is not ready. {@link #perform} waits through this; in timeout mode a
     * {@code false} is a timeout without a further attempt, as after CPython's poll that timed out,
     * and a {@code true} is followed by an attempt however late it comes. The default calls
     * {@link #awaitReady} and asks the clock; a provider whose wait knows the answer (poll(2)'s
     * count) overrides this, so that a descriptor that was ready in time is never a timeout.
     */
    protected boolean readyWithin(Call call, long nanos) throws SocketError {
        long start = System.nanoTime();
        awaitReady(call, nanos);
        return nanos == Long.MAX_VALUE || System.nanoTime() - start < nanos;
    }

    /**
     * Runs a call in the socket's mode, as CPython's {@code sock_call_ex} does: non-blocking, one
     * attempt ({@code EAGAIN} is {@link Errno#EAGAIN}); blocking, attempt, and on {@code EAGAIN}
     * (or a connect's {@code EINPROGRESS}) wait for readiness and attempt again, until it succeeds
     * or fails; in timeout mode, wait for readiness first (a connect attempts first) and attempt
     * once ready, again after each {@code EAGAIN}, until it succeeds, fails, or the timeout (one
     * deadline on the monotonic clock for the whole call) runs out. So in timeout mode a call
     * whose descriptor never becomes ready times out, as in CPython, even where its system call
     * would have failed at once (recv on a listener, accept on a datagram socket).
     * {@code EINTR} is retried. A close from another thread ends the call with {@link Errno#EBADF};
     * an interrupt closes the socket and ends it with {@link Errno#EINTR}.
     *
     * @param call    what is called, for the direction and for messages
     * @param address the address of the call for messages, or {@code null}
     * @param attempt one try that never waits
     * @return the attempt's result
     */
    protected final long perform(Call call, SocketAddress address, Attempt attempt) throws SocketError {
        return perform(call, address, attempt, timeoutNanos);
    }

    /**
     * {@link #perform(Call, SocketAddress, Attempt)} in the mode {@code timeout} (as
     * {@link #timeoutNanos()} gives it) rather than the socket's: for a call of several attempts
     * under one deadline, as {@code sendall} is. A timeout that has run out times out before any
     * attempt, as CPython's {@code sendall} does.
     */
    protected final long perform(Call call, SocketAddress address, Attempt attempt, long timeout) throws SocketError {
        if (timeout == 0) {
            long r;
            do {
                r = attempt.attempt();
            } while (r == -EINTR && !isClosed());
            if (r >= 0) {
                return r;
            }
            if (isClosed()) {
                throw closedError(call.label());
            }
            throw error(call.label(), address, (int) -r);
        }
        long start = timeout > 0 ? System.nanoTime() : 0;
        // sock_call_ex polls before the first try in timeout mode; internal_connect connects first
        boolean ready = timeout < 0 || call == Call.CONNECT;
        boolean completed = false;
        long result = -1;
        blocker.enter();
        try {
            while (true) {
                if (!ready) {
                    long wait = Long.MAX_VALUE;
                    if (timeout > 0) {
                        wait = timeout - (System.nanoTime() - start);
                        if (wait <= 0) {
                            throw timeoutError(address == null ? call.label() : call.label() + " " + describe(address));
                        }
                    }
                    boolean readyInTime = readyWithin(call, wait);
                    if (Thread.currentThread().isInterrupted()) {
                        closeNow(); // the interrupt came outside begin()'s reach (a platform poll, say)
                    }
                    if (!readyInTime && timeout > 0 && !isClosed()) {
                        // as CPython after a poll that timed out: no attempt
                        throw timeoutError(address == null ? call.label() : call.label() + " " + describe(address));
                    }
                    ready = true;
                }
                long r = attempt.attempt();
                if (isClosed()) {
                    if (r >= 0) {
                        discard(call, r);
                    }
                    break; // exit() names who closed it
                }
                if (r >= 0) {
                    completed = true;
                    result = r;
                    break;
                }
                int errno = (int) -r;
                if (errno == EINTR) {
                    continue;
                }
                if (errno != EAGAIN && !(errno == EINPROGRESS && call == Call.CONNECT)) {
                    throw error(call.label(), address, errno);
                }
                ready = false;
            }
        } finally {
            try {
                blocker.exit(completed);
            } catch (ClosedByInterruptException e) {
                if (completed) {
                    discard(call, result);
                }
                throw interruptedError(call.label(), e);
            } catch (AsynchronousCloseException e) {
                throw closedByOtherError(call.label(), e);
            }
        }
        if (!completed) {
            throw closedByOtherError(call.label(), null);
        }
        return result;
    }

    /**
     * Gives up what a successful attempt made when the call cannot return it (the socket was closed
     * meanwhile): an accepted descriptor must be closed, or it leaks. The default keeps nothing.
     */
    protected void discard(Call call, long result) {
    }

    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EINPROGRESS = 115;

    /**
     * The translation point: an errno from the kernel to a {@link SocketError} naming the call
     * and the address: {@code connect 127.0.0.1:6254: Connection refused}. A number jsock does
     * not know stays a number in the message.
     */
    protected static SocketError error(String call, SocketAddress address, int errno) {
        String what = address == null ? call : call + " " + describe(address);
        Errno e = Errno.ofOrNull(errno);
        if (e == null) {
            return new SocketError(Errno.EIO, what + ": errno " + errno + " (unknown to jsock)");
        }
        return SocketError.of(e, what);
    }

    /** Python's repr: {@code <socket fd=5, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=..., raddr=...>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<socket ");
        if (isClosed()) {
            sb.append("[closed] fd=-1, ");
        } else {
            try {
                int fd = implFileno(); // before appending: an unreachable descriptor leaves no "fd=" behind
                sb.append("fd=").append(fd).append(", ");
            } catch (SocketError | RuntimeException unreachable) {
                // the descriptor is out of this provider's reach: say nothing rather than a made-up number
            }
        }
        sb.append("family=").append(family).append(", type=").append(type).append(", proto=").append(proto);
        if (!isClosed()) {
            appendAddress(sb, "laddr", this::implGetSockName);
            appendAddress(sb, "raddr", this::implGetPeerName);
        }
        return sb.append('>').toString();
    }

    private interface AddressQuery {
        SocketAddress get() throws SocketError;
    }

    private static void appendAddress(StringBuilder sb, String label, AddressQuery query) {
        try {
            SocketAddress address = query.get();
            // Python leaves out an empty address, as an unnamed AF_UNIX socket's is
            if (address != null && !(address instanceof UnixAddress u && u.isUnnamed())) {
                sb.append(", ").append(label).append('=').append(describe(address));
            }
        } catch (SocketError | RuntimeException notThere) {
            // an unconnected socket has no raddr, as in Python's repr
        }
    }

    // ---- helpers for providers ------------------------------------------------------------

    /**
     * Throws {@link Errno#EBADF} if the socket is closed.
     *
     * @param operation the call's name for the message, as in {@code "recv"}
     */
    protected final void requireOpen(String operation) throws SocketError {
        if (closed.get()) {
            throw closedError(operation);
        }
    }

    /** The error every call on a closed socket gets. */
    protected static SocketError closedError(String operation) {
        return new SocketError(Errno.EBADF, operation + ": Bad file descriptor (socket is closed)");
    }

    /** The error of a call that the timeout ended. */
    protected static SocketTimeoutError timeoutError(String operation) {
        return new SocketTimeoutError(operation);
    }

    /** The error of a call that another thread's {@link #close()} ended. */
    protected static SocketError closedByOtherError(String operation, Throwable cause) {
        return new SocketError(Errno.EBADF, operation + ": Bad file descriptor (socket closed by another thread)", cause);
    }

    /** The error of a call that the thread's interrupt ended (the interrupt closed the socket). */
    protected static SocketError interruptedError(String operation, Throwable cause) {
        return new SocketError(Errno.EINTR, operation + ": Interrupted system call (the interrupt closed the socket)", cause);
    }

    /**
     * Checks and normalises an address for this socket's family, before any system call:
     * {@code null} throws {@link NullPointerException}; for AF_INET and AF_INET6 an
     * {@link InetSocketAddress} is required, an unresolved one is resolved (unknown host:
     * {@link Errno#EAI_NONAME}), and an address of the other IP family throws
     * {@link IllegalArgumentException}; for AF_UNIX a {@link UnixAddress} or
     * {@link UnixDomainSocketAddress} is required and a name longer than {@code sun_path} throws
     * {@link Errno#ENAMETOOLONG}. Providers of other families override this.
     *
     * @param operation the call, for messages
     * @param address   what the caller gave
     * @return the address to hand to the backend
     */
    protected SocketAddress checkAddress(String operation, SocketAddress address) throws SocketError {
        Objects.requireNonNull(address, "address");
        switch (family) {
            case AF_INET:
            case AF_INET6:
                return checkInet(operation, address);
            case AF_UNIX:
                return checkUnix(operation, address);
            default:
                return address;
        }
    }

    private InetSocketAddress checkInet(String operation, SocketAddress address) throws SocketError {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("address must be an InetSocketAddress for a " + family + " socket, got "
                    + address.getClass().getSimpleName() + " " + describe(address));
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        Class<? extends InetAddress> wanted = family == AddressFamily.AF_INET ? Inet4Address.class : Inet6Address.class;
        if (inet.isUnresolved()) {
            String host = inet.getHostString();
            if (family == AddressFamily.AF_INET6 && host.regionMatches(true, 0, "::ffff:", 0, 7) && host.indexOf('.') > 0) {
                // Java turns "::ffff:a.b.c.d" into an Inet4Address; an AF_INET6 socket needs it mapped, as in C
                return new InetSocketAddress(v4Mapped(operation, host.substring(7)), inet.getPort());
            }
            return new InetSocketAddress(resolve(operation, host, wanted), inet.getPort());
        }
        if (!wanted.isInstance(inet.getAddress())) {
            throw new IllegalArgumentException("address " + describe(inet) + " is not an " + family + " address"
                    + (family == AddressFamily.AF_INET6
                    ? " (an IPv4 peer of an AF_INET6 socket is v4-mapped: InetSocketAddress.createUnresolved(\"::ffff:"
                      + inet.getAddress().getHostAddress() + "\", " + inet.getPort() + "))"
                    : ""));
        }
        return inet;
    }

    private static Inet6Address v4Mapped(String operation, String dotted) throws SocketError {
        InetAddress v4 = resolve(operation, dotted, Inet4Address.class);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
        try {
            return Inet6Address.getByAddress(null, mapped, (NetworkInterface) null);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes are an IPv6 address", impossible);
        }
    }

    private static InetAddress resolve(String operation, String host, Class<? extends InetAddress> wanted) throws SocketError {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new SocketError(Errno.EAI_NONAME, operation + " " + host + ": " + Errno.EAI_NONAME.description(), e);
        }
        for (InetAddress a : all) {
            if (wanted.isInstance(a)) {
                return a;
            }
        }
        throw new SocketError(Errno.EAI_ADDRFAMILY, operation + " " + host + ": " + Errno.EAI_ADDRFAMILY.description());
    }

    private static UnixAddress checkUnix(String operation, SocketAddress address) throws SocketError {
        UnixAddress unix;
        if (address instanceof UnixAddress u) {
            unix = u;
        } else if (address instanceof UnixDomainSocketAddress jdk) {
            unix = UnixAddress.of(jdk);
        } else {
            throw new IllegalArgumentException("address must be a UnixAddress or UnixDomainSocketAddress for an AF_UNIX socket, got "
                    + address.getClass().getSimpleName() + " " + address);
        }
        if (!unix.fits()) {
            throw new SocketError(Errno.ENAMETOOLONG, operation + " " + unix + ": AF_UNIX path too long ("
                    + unix.sunPath().length + " bytes; Linux takes at most " + (UnixAddress.MAX_PATH_BYTES - 1) + ")");
        }
        return unix;
    }

    /**
     * An address as messages and repr show it, and as Python and ip(8) write it:
     * {@code 127.0.0.1:6254}, {@code [::1]:6254} (IPv6 in RFC 5952's text: lower case, the longest
     * run of zero groups as {@code ::}, {@code ::ffff:127.0.0.1} for a v4-mapped address, a scope
     * as {@code %lo}), {@code host:port} when unresolved, a path, {@code @name}, or {@code ''} when
     * unnamed. The JDK's own {@code getHostAddress()} writes {@code 0:0:0:0:0:0:0:1}.
     */
    public static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host;
            if (inet.isUnresolved()) {
                host = inet.getHostString();
            } else if (inet.getAddress() instanceof Inet6Address v6) {
                host = ipv6Text(v6);
            } else {
                host = inet.getAddress().getHostAddress();
            }
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
            return host + ":" + inet.getPort();
        }
        if (address instanceof UnixAddress unix && unix.isUnnamed()) {
            return "''";
        }
        return String.valueOf(address);
    }

    /** RFC 5952 section 4 text of an IPv6 address, with its scope ({@code %lo}, or {@code %2} for an interface gone). */
    private static String ipv6Text(Inet6Address a) {
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        StringBuilder sb = new StringBuilder(48);
        boolean mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0 && groups[5] == 0xffff;
        if (mapped) {
            sb.append("::ffff:").append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.')
                    .append(b[14] & 0xff).append('.').append(b[15] & 0xff);
        } else {
            int bestStart = -1;
            int bestLength = 1; // a single zero group is not shortened (4.2.2)
            for (int i = 0; i < 8; i++) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) { // the first of equally long runs (4.2.3)
                    bestStart = i;
                    bestLength = j - i;
                }
                i = Math.max(i, j);
            }
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    sb.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(groups[i]));
            }
        }
        NetworkInterface scoped = a.getScopedInterface();
        if (scoped != null) {
            sb.append('%').append(scoped.getName());
        } else if (a.getScopeId() != 0) {
            sb.append('%').append(interfaceName(a.getScopeId()));
        }
        return sb.toString();
    }

    /** The interface of an index, as if_indextoname(3) names it; the number when there is none. */
    private static String interfaceName(int index) {
        try {
            NetworkInterface nif = NetworkInterface.getByIndex(index);
            if (nif != null) {
                return nif.getName();
            }
        } catch (SocketException | RuntimeException unknown) {
            // the number says it
        }
        return Integer.toString(index);
    }

    private void requireSupported(SocketOption<?> option, String operation) throws SocketError {
        if (!supportedOptions().contains(option)) {
            throw new SocketError(Errno.ENOPROTOOPT, operation + " " + option.name() + ": Protocol not available (a "
                    + family + " " + type + " socket takes " + supportedOptions() + ")");
        }
    }

    private static void checkBufsize(int bufsize) {
        if (bufsize < 0) {
            throw new IllegalArgumentException("bufsize must not be negative, got " + bufsize);
        }
    }

    private static void checkWritable(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is a read-only buffer");
        }
    }

    private final class SocketInputStream extends InputStream {
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean timedOut;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed.get()) {
                throw new IOException("read of a closed stream");
            }
            if (timedOut) {
                throw new IOException("cannot read from timed out object (a read of this stream timed out before)");
            }
            if (len == 0) {
                return 0;
            }
            try {
                int n = recvInto(ByteBuffer.wrap(b, off, len));
                return n == 0 ? -1 : n;
            } catch (SocketTimeoutError e) {
                timedOut = true; // as CPython's SocketIO: what was read of the data is unknown now
                throw e;
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                streamClosed();
            }
        }
    }

    private final class SocketOutputStream extends OutputStream {
        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed.get()) {
                throw new IOException("write to a closed stream");
            }
            sendAll(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                streamClosed();
            }
        }
    }
}
