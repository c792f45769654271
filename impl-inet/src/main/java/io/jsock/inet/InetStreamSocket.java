package io.jsock.inet;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.spi.AbstractSocket;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A TCP socket on JDK NIO. One object goes through the BSD states: it starts with an unconnected
 * {@link SocketChannel} (bound by {@code bind}, connected by {@code connect}) and changes to a
 * {@link ServerSocketChannel} at {@code listen}, because NIO splits what BSD keeps in one descriptor.
 *
 * <p>Modes: blocking puts the channel in blocking mode and calls it directly; non-blocking puts it
 * in non-blocking mode and turns "nothing done" into {@link Errno#EAGAIN}; timeout mode is
 * non-blocking plus a wait on a lazily opened {@link Selector} (one for the reading side, one for
 * the writing side, so a reader and a writer thread do not wait on each other).
 */
final class InetStreamSocket extends AbstractSocket {
    private static final long BLOCKING = -1;
    private static final byte[] EMPTY = new byte[0];
    /** recv() reads through a per-thread direct buffer up to this size, so it copies once into an exact-size array. */
    private static final int MAX_RECV_STAGING = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> RECV_STAGING = new ThreadLocal<>();
    /** send() hands heap buffers to the JDK in slices up to this size; see {@link #writeSome}. */
    private static final int MAX_HEAP_WRITE = 1024 * 1024;
    private static final System.Logger LOG = System.getLogger(InetStreamSocket.class.getName());
    private static final List<SocketOption<?>> OPTIONS = List.of(StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_KEEPALIVE,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF);
    private static volatile Set<SocketOption<?>> supported;

    /** The operation kinds the error translation needs to tell apart. */
    private enum Op { OPEN, BIND, LISTEN, ACCEPT, CONNECT, RECV, SEND, SHUTDOWN, NAME, OPTION, MODE }

    private final ProtocolFamily protocolFamily;
    /**
     * Guards changes of which channel is in use, the options record and the selectors. Never held
     * while a call waits for data, a connection or a timeout (close takes it, and must not wait).
     */
    private final Object stateLock = new Object();
    /** The connection side: unconnected, bound, connecting or connected. Null while listening. */
    private volatile SocketChannel channel;
    /** The listening side, after listen(). */
    private volatile ServerSocketChannel server;
    /** Where bind() put the socket, so a channel the JDK had to replace keeps the address. */
    private InetSocketAddress boundTo;
    /** Options the caller set, applied again to every channel this socket changes to and to accepted sockets. */
    private final Map<SocketOption<?>, Object> options = new LinkedHashMap<>();
    /** Values of the options a ServerSocketChannel cannot hold, read from the channel it replaced. */
    private final Map<SocketOption<?>, Object> listenerShadow = new LinkedHashMap<>();
    private volatile long timeoutNanos = BLOCKING;
    private Selector readSelector;
    private Selector writeSelector;
    /** A connect that returned EINPROGRESS or timed out; Linux reports its success once, then EISCONN. */
    private volatile boolean connecting;
    /** recv reported ECONNRESET: Linux gives end of stream afterwards. */
    private volatile boolean inputReset;
    /** An RST ended the connection: Linux answers getpeername and shutdown with ENOTCONN. */
    private volatile boolean peerGone;
    private volatile boolean outputShut;

    /** A new unconnected socket; socket(2). */
    InetStreamSocket(AddressFamily family, int proto) throws SocketError {
        super(family, SocketType.SOCK_STREAM, proto);
        this.protocolFamily = family == AddressFamily.AF_INET6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        try {
            this.channel = SocketChannel.open(protocolFamily);
        } catch (IOException | UnsupportedOperationException e) {
            throw error(Op.OPEN, "socket(" + family + ", SOCK_STREAM, " + proto + ")", e);
        }
        rememberSupported(channel);
    }

    /** An accepted connection, in blocking mode, with the listener's options. */
    private InetStreamSocket(AddressFamily family, int proto, SocketChannel accepted, Map<SocketOption<?>, Object> inherited) throws IOException {
        super(family, SocketType.SOCK_STREAM, proto);
        this.protocolFamily = family == AddressFamily.AF_INET6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        accepted.configureBlocking(true);
        for (Map.Entry<SocketOption<?>, Object> e : inherited.entrySet()) {
            if (accepted.supportedOptions().contains(e.getKey())) {
                setRaw(accepted, e.getKey(), e.getValue());
            }
        }
        this.options.putAll(inherited);
        this.channel = accepted;
    }

    // ---- bind, listen, accept, connect --------------------------------------------------

    @Override
    protected void implBind(SocketAddress address) throws SocketError {
        String label = "bind " + describe(address);
        synchronized (stateLock) {
            SocketChannel ch = channel;
            try {
                if (ch == null || ch.getLocalAddress() != null) {
                    throw SocketError.of(Errno.EINVAL, label); // listening, connected or bound already, as Linux says
                }
                ch.bind(address);
                boundTo = (InetSocketAddress) ch.getLocalAddress();
            } catch (IOException | RuntimeException e) {
                throw error(Op.BIND, label, e);
            }
        }
    }

    @Override
    protected void implListen(int backlog) throws SocketError {
        synchronized (stateLock) {
            if (server != null) {
                return; // Linux takes a second listen (a new backlog); NIO cannot change the backlog
            }
            SocketChannel ch = channel;
            String label = "listen";
            ServerSocketChannel ssc = null;
            try {
                if (ch.isConnected() || ch.isConnectionPending()) {
                    throw SocketError.of(Errno.EINVAL, label);
                }
                ssc = ServerSocketChannel.open(protocolFamily);
                for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
                    if (ssc.supportedOptions().contains(e.getKey())) {
                        setRaw(ssc, e.getKey(), e.getValue());
                    }
                }
                boolean reuse = Boolean.TRUE.equals(options.get(StandardSocketOptions.SO_REUSEADDR));
                // NIO reads a backlog of 0 as "the default" (50); 1 is nearest to Linux's listen(0)
                int nioBacklog = Math.max(backlog, 1);
                if (boundTo != null) {
                    // Move the bound address to the listening channel without freeing it in between:
                    // Linux lets two SO_REUSEADDR sockets share a port while neither listens.
                    ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    try {
                        ssc.bind(ch.getLocalAddress(), nioBacklog);
                    } catch (IOException e) {
                        ch.setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
                        throw e;
                    }
                } else {
                    ssc.bind(null, nioBacklog); // like Linux, listen on an unbound socket binds the wildcard, a free port
                }
                // the JDK turns SO_REUSEADDR on for listeners; BSD leaves the caller's choice, off by default
                ssc.setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
                ssc.configureBlocking(timeoutNanos == BLOCKING);
                listenerShadow.clear();
                for (SocketOption<?> o : supportedOptions()) {
                    if (!ssc.supportedOptions().contains(o)) {
                        listenerShadow.put(o, ch.getOption(o));
                    }
                }
                server = ssc;
                channel = null;
                boundTo = (InetSocketAddress) ssc.getLocalAddress();
                ssc = null;
                ch.close();
            } catch (IOException | RuntimeException e) {
                throw error(Op.LISTEN, label, e);
            } finally {
                closeQuietly(ssc, "listen");
            }
        }
    }

    @Override
    protected Accepted implAccept() throws SocketError {
        String label = "accept";
        ServerSocketChannel ssc = server;
        if (ssc == null) {
            throw SocketError.of(Errno.EINVAL, label); // not listening
        }
        long timeout = timeoutNanos;
        SocketChannel accepted = null;
        try {
            if (timeout == BLOCKING || timeout == 0) {
                accepted = ssc.accept();
                if (accepted == null) {
                    throw SocketError.of(Errno.EAGAIN, label);
                }
            } else {
                long deadline = startWait(label, timeout);
                while ((accepted = ssc.accept()) == null) {
                    await(ssc, SelectionKey.OP_ACCEPT, deadline, label);
                }
            }
            Map<SocketOption<?>, Object> inherited;
            synchronized (stateLock) {
                inherited = new LinkedHashMap<>(options);
            }
            InetStreamSocket socket = new InetStreamSocket(family(), proto(), accepted, inherited);
            SocketAddress peer = socket.normalise((InetSocketAddress) accepted.getRemoteAddress());
            accepted = null;
            return new Accepted(socket, peer);
        } catch (IOException | RuntimeException e) {
            throw error(Op.ACCEPT, label, e);
        } finally {
            closeQuietly(accepted, label);
        }
    }

    @Override
    protected void implConnect(SocketAddress address) throws SocketError {
        String label = "connect " + describe(address);
        if (server != null) {
            throw SocketError.of(Errno.EISCONN, label); // Linux answers connect on a listener so
        }
        SocketChannel ch = channel;
        long timeout = timeoutNanos;
        try {
            if (ch.isConnectionPending()) {
                // Linux: a blocking connect waits for the pending one (the channel is blocking then),
                // a non-blocking or timeout-mode one reports EALREADY until it is done
                if (ch.finishConnect()) {
                    connecting = false;
                    return;
                }
                throw SocketError.of(Errno.EALREADY, label);
            }
            if (ch.isConnected()) {
                if (connecting) {
                    connecting = false; // the first connect after the background one completed reports success
                    return;
                }
                throw SocketError.of(Errno.EISCONN, label);
            }
            if (timeout == BLOCKING) {
                ch.connect(address);
                return;
            }
            long deadline = timeout == 0 ? 0 : startWait(label, timeout);
            if (ch.connect(address)) {
                return;
            }
            connecting = true;
            if (timeout == 0) {
                throw SocketError.of(Errno.EINPROGRESS, label);
            }
            while (!ch.finishConnect()) {
                await(ch, SelectionKey.OP_CONNECT, deadline, label);
            }
            connecting = false;
        } catch (IOException | RuntimeException e) {
            throw connectionError(Op.CONNECT, label, e, ch);
        }
    }

    /**
     * {@link #error} for a call on the connection channel. The JDK closes a channel whose connect
     * failed (found by connect, or by recv/send finishing a background connect); a BSD socket
     * stays usable and bound, so a replacement channel takes its place.
     */
    private SocketError connectionError(Op op, String label, Throwable e, SocketChannel ch) {
        SocketError error = error(op, label, e);
        if (!ch.isOpen() && !isClosed()) {
            connecting = false;
            replaceFailedChannel(ch, error);
        }
        return error;
    }

    /** Opens the replacement of a channel the JDK closed, with the same options, mode and bound address. */
    private void replaceFailedChannel(SocketChannel failed, SocketError error) {
        synchronized (stateLock) {
            if (isClosed() || channel != failed) {
                return;
            }
            SocketChannel fresh = null;
            try {
                releaseClosedChannels();
                fresh = SocketChannel.open(protocolFamily);
                for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
                    setRaw(fresh, e.getKey(), e.getValue());
                }
                if (boundTo != null) {
                    fresh.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    fresh.bind(boundTo);
                    fresh.setOption(StandardSocketOptions.SO_REUSEADDR,
                            Boolean.TRUE.equals(options.get(StandardSocketOptions.SO_REUSEADDR)));
                }
                fresh.configureBlocking(timeoutNanos == BLOCKING);
                channel = fresh;
                fresh = null;
            } catch (IOException | RuntimeException e) {
                error.addSuppressed(e);
            } finally {
                closeQuietly(fresh, "connect");
            }
        }
    }

    // ---- receiving ------------------------------------------------------------------------

    @Override
    protected byte[] implRecv(int bufsize) throws SocketError {
        if (bufsize == 0) {
            return EMPTY; // CPython answers recv(0) without a system call
        }
        if (bufsize > MAX_RECV_STAGING) {
            byte[] data = new byte[bufsize];
            int n = read(ByteBuffer.wrap(data), "recv");
            return n == data.length ? data : Arrays.copyOf(data, n);
        }
        ByteBuffer staging = RECV_STAGING.get();
        if (staging == null || staging.capacity() < bufsize) {
            staging = ByteBuffer.allocateDirect(Math.max(bufsize, 8192));
            RECV_STAGING.set(staging);
        }
        staging.clear().limit(bufsize);
        int n = read(staging, "recv");
        if (n == 0) {
            return EMPTY;
        }
        byte[] data = new byte[n];
        staging.get(0, data);
        return data;
    }

    @Override
    protected int implRecvInto(ByteBuffer dst) throws SocketError {
        if (!dst.hasRemaining()) {
            return 0;
        }
        return read(dst, "recv_into");
    }

    @Override
    protected Datagram implRecvFrom(int bufsize) throws SocketError {
        // Linux gives no address for a TCP recvfrom; Python shows None
        return new Datagram(bufsize == 0 ? recvZero("recvfrom") : implRecv(bufsize), null);
    }

    @Override
    protected SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError {
        if (!dst.hasRemaining()) {
            recvZero("recvfrom_into");
        } else {
            read(dst, "recvfrom_into");
        }
        return null;
    }

    /** recvfrom(2) of nothing, which CPython does pass to Linux: ENOTCONN unless connected. */
    private byte[] recvZero(String label) throws SocketError {
        SocketChannel ch = channel;
        if (ch == null || !ch.isConnected()) {
            throw SocketError.of(Errno.ENOTCONN, label);
        }
        return EMPTY;
    }

    /** One recv(2) in the current mode; 0 at the end of the stream. */
    private int read(ByteBuffer dst, String label) throws SocketError {
        SocketChannel ch = channel;
        if (ch == null) {
            throw SocketError.of(Errno.ENOTCONN, label); // listening
        }
        if (inputReset) {
            return 0;
        }
        long timeout = timeoutNanos;
        try {
            if (timeout == BLOCKING) {
                if (ch.isConnectionPending()) {
                    ch.finishConnect();
                }
                int n = ch.read(dst);
                return Math.max(n, 0);
            }
            if (timeout == 0) {
                if (ch.isConnectionPending() && !ch.finishConnect()) {
                    throw SocketError.of(Errno.EAGAIN, label);
                }
                int n = ch.read(dst);
                if (n == 0) {
                    throw SocketError.of(Errno.EAGAIN, label);
                }
                return Math.max(n, 0);
            }
            long deadline = startWait(label, timeout);
            while (ch.isConnectionPending() && !ch.finishConnect()) {
                await(ch, SelectionKey.OP_CONNECT, deadline, label);
            }
            int n;
            while ((n = ch.read(dst)) == 0) {
                await(ch, SelectionKey.OP_READ, deadline, label);
            }
            return Math.max(n, 0);
        } catch (IOException | RuntimeException e) {
            throw connectionError(Op.RECV, label, e, ch);
        }
    }

    // ---- sending --------------------------------------------------------------------------

    @Override
    protected int implSend(ByteBuffer src) throws SocketError {
        long timeout = timeoutNanos;
        return write(src, "send", timeout == BLOCKING || timeout == 0 ? 0 : startWait("send", timeout));
    }

    @Override
    protected void implSendAll(ByteBuffer src) throws SocketError {
        long timeout = timeoutNanos;
        long deadline = timeout == BLOCKING || timeout == 0 ? 0 : startWait("sendall", timeout);
        do {
            write(src, "sendall", deadline);
        } while (src.hasRemaining());
    }

    @Override
    protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        // Linux ignores the address of a sendto on a TCP socket; unconnected it is EPIPE like send
        return implSend(src);
    }

    /** One send(2) in the current mode: all of {@code src} in blocking mode, as Linux does, else what fits. */
    private int write(ByteBuffer src, String label, long deadline) throws SocketError {
        SocketChannel ch = channel;
        if (ch == null) {
            throw SocketError.of(Errno.EPIPE, label); // listening: Linux says EPIPE
        }
        long timeout = timeoutNanos;
        try {
            if (ch.isConnectionPending()) {
                if (timeout == BLOCKING) {
                    ch.finishConnect();
                } else if (timeout == 0) {
                    if (!ch.finishConnect()) {
                        throw SocketError.of(Errno.EAGAIN, label);
                    }
                } else {
                    while (!ch.finishConnect()) {
                        await(ch, SelectionKey.OP_CONNECT, deadline, label);
                    }
                }
            }
            if (!src.hasRemaining()) {
                return ch.write(src); // 0, or EPIPE when not connected, as Linux answers an empty send
            }
            if (timeout == BLOCKING) {
                int sent = 0;
                do {
                    sent += writeSome(ch, src); // Linux's blocking send queues everything before it returns
                } while (src.hasRemaining());
                return sent;
            }
            int n;
            while ((n = writeSome(ch, src)) == 0) {
                if (timeout == 0) {
                    throw SocketError.of(Errno.EAGAIN, label);
                }
                await(ch, SelectionKey.OP_WRITE, deadline, label);
            }
            return n;
        } catch (IOException | RuntimeException e) {
            throw connectionError(Op.SEND, label, e, ch);
        }
    }

    /**
     * One write(2). A heap buffer goes in slices of at most {@link #MAX_HEAP_WRITE} bytes: the JDK
     * copies a heap buffer into a temporary direct buffer of the same size and keeps that buffer
     * cached for the thread, so one large {@code sendAll(byte[])} would pin that much native memory.
     */
    private static int writeSome(SocketChannel ch, ByteBuffer src) throws IOException {
        if (src.isDirect() || src.remaining() <= MAX_HEAP_WRITE) {
            return ch.write(src);
        }
        int limit = src.limit();
        src.limit(src.position() + MAX_HEAP_WRITE);
        try {
            return ch.write(src);
        } finally {
            src.limit(limit);
        }
    }

    // ---- shutdown, names, descriptor ------------------------------------------------------

    @Override
    protected void implShutdown(Shutdown how) throws SocketError {
        String label = "shutdown " + how;
        if (server != null) {
            if (how != Shutdown.SHUT_WR) {
                stopListening(label);
            }
            return; // Linux: SHUT_WR on a listener does nothing
        }
        SocketChannel ch = channel;
        if (!ch.isConnected() || peerGone) {
            throw SocketError.of(Errno.ENOTCONN, label);
        }
        try {
            if (how != Shutdown.SHUT_WR) {
                ch.shutdownInput();
            }
            if (how != Shutdown.SHUT_RD) {
                outputShut = true;
                ch.shutdownOutput();
            }
        } catch (IOException | RuntimeException e) {
            throw error(Op.SHUTDOWN, label, e);
        }
    }

    /**
     * Linux's shutdown(SHUT_RD) of a listener: it stops listening (a blocked accept gets EINVAL,
     * new connections are refused) but stays bound, and may listen again.
     */
    private void stopListening(String label) throws SocketError {
        synchronized (stateLock) {
            ServerSocketChannel ssc = server;
            if (ssc == null) {
                return;
            }
            SocketChannel fresh = null;
            try {
                InetSocketAddress local = (InetSocketAddress) ssc.getLocalAddress();
                fresh = SocketChannel.open(protocolFamily);
                for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
                    setRaw(fresh, e.getKey(), e.getValue());
                }
                fresh.configureBlocking(timeoutNanos == BLOCKING);
                server = null;
                channel = fresh; // from here on an unbound socket, should the address not come back
                boundTo = null;
                fresh = null;
                ssc.close();
                releaseClosedChannels(); // also wakes an accept waiting in timeout mode: it retries and finds the listener gone
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                bindWhenReleased(channel, local);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR,
                        Boolean.TRUE.equals(options.get(StandardSocketOptions.SO_REUSEADDR)));
                boundTo = local;
            } catch (IOException | RuntimeException e) {
                throw error(Op.SHUTDOWN, label, e);
            } finally {
                closeQuietly(fresh, label);
            }
        }
    }

    /**
     * Binds to the address a listener just gave up. The JDK closes a listening channel that a
     * thread is blocked in accept on only when that thread has left accept (it signals the
     * thread and defers the close), so the port can be busy for a moment; retry for up to a second.
     */
    private static void bindWhenReleased(SocketChannel ch, InetSocketAddress local) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            try {
                ch.bind(local);
                return;
            } catch (java.net.BindException busy) {
                if (System.nanoTime() - deadline > 0 || errnoOf(busy) != Errno.EADDRINUSE) {
                    throw busy;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    @Override
    protected SocketAddress implGetPeerName() throws SocketError {
        SocketChannel ch = channel;
        if (ch == null || !ch.isConnected() || peerGone) {
            throw SocketError.of(Errno.ENOTCONN, "getpeername");
        }
        try {
            return normalise((InetSocketAddress) ch.getRemoteAddress());
        } catch (IOException | RuntimeException e) {
            throw error(Op.NAME, "getpeername", e);
        }
    }

    @Override
    protected SocketAddress implGetSockName() throws SocketError {
        NetworkChannel ch = current();
        try {
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            return local == null ? new InetSocketAddress(wildcard(), 0) : normalise(local);
        } catch (IOException | RuntimeException e) {
            throw error(Op.NAME, "getsockname", e);
        }
    }

    @Override
    protected int implFileno() throws SocketError {
        return Descriptors.jdk().of(current(), "fileno");
    }

    // ---- options and modes ----------------------------------------------------------------

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return supported;
    }

    @Override
    protected <T> void implSetOption(SocketOption<T> option, T value) throws SocketError {
        synchronized (stateLock) {
            NetworkChannel ch = current();
            try {
                if (ch.supportedOptions().contains(option)) {
                    ch.setOption(option, value);
                } else {
                    listenerShadow.put(option, value); // a listener passes it on to the sockets it accepts
                }
                options.put(option, value);
            } catch (IOException | RuntimeException e) {
                throw error(Op.OPTION, "setsockopt " + option.name() + " " + value, e);
            }
        }
    }

    @Override
    protected <T> T implGetOption(SocketOption<T> option) throws SocketError {
        synchronized (stateLock) {
            NetworkChannel ch = current();
            try {
                if (ch.supportedOptions().contains(option)) {
                    return ch.getOption(option);
                }
                return option.type().cast(listenerShadow.get(option));
            } catch (IOException | RuntimeException e) {
                throw error(Op.OPTION, "getsockopt " + option.name(), e);
            }
        }
    }

    @Override
    protected void implSetTimeout(Duration timeout) throws SocketError {
        long nanos = timeout == null ? BLOCKING : saturatedNanos(timeout);
        synchronized (stateLock) {
            try {
                if (nanos == BLOCKING) {
                    // a channel registered with a selector cannot go back to blocking mode
                    closeSelectors();
                }
                SelectableChannel ch = (SelectableChannel) current();
                ch.configureBlocking(nanos == BLOCKING);
                timeoutNanos = nanos;
            } catch (IOException | RuntimeException e) {
                throw error(Op.MODE, "settimeout", e);
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2; // centuries: as good as blocking, but still timeout mode
        }
    }

    // ---- close ----------------------------------------------------------------------------

    @Override
    protected void implClose() {
        // First without the lock: closing a blocking channel wakes its blocked threads
        // (AsynchronousCloseException), and a setTimeout holding the lock may be waiting for them.
        closeQuietly(channel, "close");
        closeQuietly(server, "close");
        synchronized (stateLock) {
            // again, for a channel swapped in meanwhile (listen, a replaced failed connect)
            closeQuietly(channel, "close");
            closeQuietly(server, "close");
            // threads waiting in timeout mode wake when their selector closes; it also frees the descriptors
            closeSelectors();
        }
    }

    /**
     * A closed channel that is registered with a selector keeps its descriptor (and its port) until
     * the selector next selects; do that now, so the address can be bound again at once.
     */
    private void releaseClosedChannels() throws IOException {
        for (Selector selector : new Selector[] {readSelector, writeSelector}) {
            if (selector != null) {
                selector.wakeup(); // a thread selecting on it returns, so selectNow need not wait for its timeout
                selector.selectNow();
                selector.selectedKeys().clear();
                // selectNow cleared the wakeup: a thread just about to select must still return and look again
                selector.wakeup();
            }
        }
    }

    private void closeSelectors() {
        closeQuietly(readSelector, "close");
        closeQuietly(writeSelector, "close");
        readSelector = null;
        writeSelector = null;
    }

    /** Close never throws; a failure to close is logged, not lost. */
    private static void closeQuietly(java.io.Closeable c, String label) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, label + ": closing " + c + " failed", e);
        }
    }

    // ---- waiting in timeout mode --------------------------------------------------------

    /**
     * The deadline of a call in timeout mode, checked against the interrupt status first: an
     * interrupted thread that would wait closes the socket (Socket's javadoc).
     */
    private long startWait(String label, long timeout) throws SocketError {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(label, null);
        }
        return System.nanoTime() + timeout;
    }

    /**
     * Waits until {@code ch} is ready for {@code ops} or the deadline passes.
     *
     * @throws SocketError timeout, EBADF when closed meanwhile, EINTR when interrupted
     */
    private void await(SelectableChannel ch, int ops, long deadline, String label) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timeoutError(label);
        }
        try {
            Selector selector = selector(ops == SelectionKey.OP_READ || ops == SelectionKey.OP_ACCEPT);
            if (selector == null) {
                throw closedError(label);
            }
            SelectionKey key = ch.keyFor(selector);
            if (key == null) {
                ch.register(selector, ops);
            } else {
                key.interestOps(ops);
            }
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999)));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException | IllegalBlockingModeException e) {
            // close(), a channel closed under the call or a switch to blocking mode took the selector or
            // the key; the caller's retry of the call meets the new state and reports it
            if (isClosed()) {
                throw closedError(label);
            }
            return;
        }
        if (isClosed()) {
            throw closedError(label);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(label, null);
        }
    }

    private Selector selector(boolean reading) throws IOException {
        synchronized (stateLock) {
            if (isClosed()) {
                return null;
            }
            if (reading) {
                if (readSelector == null) {
                    readSelector = Selector.open();
                }
                return readSelector;
            }
            if (writeSelector == null) {
                writeSelector = Selector.open();
            }
            return writeSelector;
        }
    }

    // ---- the one translation point --------------------------------------------------------

    /**
     * Translates a JDK failure into the errno Linux gives for the same call, as CPython reports it.
     * Records what the failure says about the connection (reset, gone) and closes the socket when
     * the thread was interrupted.
     *
     * @param op    what kind of call failed
     * @param label the call and its address, for the message
     */
    private SocketError error(Op op, String label, Throwable e) {
        if (e instanceof SocketError se) {
            return se;
        }
        if (e instanceof ClosedByInterruptException) {
            return interrupted(label, e);
        }
        Errno errno;
        if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException || e instanceof ClosedSelectorException) {
            if (isClosed()) {
                errno = Errno.EBADF;
            } else if (op == Op.SEND && outputShut) {
                errno = Errno.EPIPE; // the JDK's answer to a write after shutdownOutput; Linux says EPIPE
            } else if (op == Op.ACCEPT) {
                errno = Errno.EINVAL; // shutdown(SHUT_RD) took the listener away under this accept, as Linux does
            } else {
                errno = Errno.EBADF;
            }
        } else if (e instanceof NotYetConnectedException) {
            errno = op == Op.SEND ? Errno.EPIPE : Errno.ENOTCONN; // Linux: send on an unconnected TCP socket is EPIPE
        } else if (e instanceof AlreadyConnectedException) {
            errno = Errno.EISCONN;
        } else if (e instanceof ConnectionPendingException) {
            errno = Errno.EALREADY;
        } else if (e instanceof NoConnectionPendingException) {
            errno = Errno.ENOTCONN;
        } else if (e instanceof AlreadyBoundException || e instanceof NotYetBoundException) {
            errno = Errno.EINVAL;
        } else if (e instanceof UnsupportedAddressTypeException) {
            errno = Errno.EAFNOSUPPORT;
        } else if (e instanceof UnsupportedOperationException && op == Op.OPEN) {
            errno = Errno.EAFNOSUPPORT; // the JDK's "IPv6 not available": Linux's socket(AF_INET6) without IPv6
            return new SocketError(errno, label + ": " + errno.description() + " (" + e.getMessage() + ")", e);
        } else if (e instanceof UnresolvedAddressException || e instanceof UnknownHostException) {
            errno = Errno.EAI_NONAME;
        } else if (e instanceof IOException) {
            errno = errnoOf((IOException) e);
        } else if (e instanceof RuntimeException re) {
            throw re; // a bug of ours (IllegalBlockingModeException, ...) is no OS error
        } else {
            throw new AssertionError("unexpected " + e, e);
        }
        if (errno == Errno.ECONNRESET && op == Op.RECV) {
            inputReset = true;
            peerGone = true;
        } else if (op == Op.SEND && (errno == Errno.ECONNRESET || (errno == Errno.EPIPE && !outputShut))) {
            peerGone = true;
        }
        if (errno == Errno.EBADF && isClosed()) {
            SocketError closed = closedError(label);
            closed.initCause(e);
            return closed;
        }
        String detail = errno == Errno.EIO && e.getMessage() != null ? e.getMessage() : errno.description();
        return new SocketError(errno, label + ": " + detail, e);
    }

    /**
     * The errno of a JDK socket IOException: the JDK's native code puts strerror(errno) in the
     * message (prefixed at times), so the longest known description in it names the errno.
     */
    static Errno errnoOf(IOException e) {
        String message = e.getMessage();
        if (message != null) {
            if (message.equals("Connection reset")) {
                return Errno.ECONNRESET; // sun.net.ConnectionResetException
            }
            Errno named = Errno.inMessage(message);
            if (named != null) {
                return named;
            }
        }
        if (e instanceof java.net.ConnectException) {
            return Errno.ECONNREFUSED;
        }
        if (e instanceof java.net.NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof java.net.BindException) {
            return Errno.EADDRINUSE;
        }
        return Errno.EIO;
    }

    /** Socket's interrupt rule: the socket is closed, the call ends with EINTR, the interrupt status stays. */
    private SocketError interrupted(String label, Throwable cause) {
        close();
        SocketError e = new SocketError(Errno.EINTR, label + ": " + Errno.EINTR.description()
                + " (the thread was interrupted; the socket is closed)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    // ---- helpers --------------------------------------------------------------------------

    /** The channel in use: the listening one after listen(), else the connection one. */
    private NetworkChannel current() {
        ServerSocketChannel ssc = server;
        return ssc != null ? ssc : channel;
    }

    private InetAddress wildcard() {
        try {
            return InetAddress.getByAddress(new byte[family() == AddressFamily.AF_INET6 ? 16 : 4]);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * The JDK reports an IPv4-mapped peer of an AF_INET6 socket as an {@link Inet4Address}; Linux
     * (and Python) give {@code ::ffff:a.b.c.d}, which is also what an AF_INET6 socket accepts back.
     */
    private InetSocketAddress normalise(InetSocketAddress address) {
        if (family() == AddressFamily.AF_INET6 && address.getAddress() instanceof Inet4Address v4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
            try {
                return new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), address.getPort());
            } catch (UnknownHostException impossible) {
                throw new AssertionError(impossible);
            }
        }
        return address;
    }

    @SuppressWarnings("unchecked")
    private static void setRaw(NetworkChannel ch, SocketOption<?> option, Object value) throws IOException {
        ch.setOption((SocketOption<Object>) option, value);
    }

    private static void rememberSupported(SocketChannel ch) {
        if (supported == null) {
            Set<SocketOption<?>> s = new LinkedHashSet<>();
            for (SocketOption<?> o : OPTIONS) {
                if (ch.supportedOptions().contains(o)) {
                    s.add(o);
                }
            }
            supported = Collections.unmodifiableSet(s);
        }
    }
}
