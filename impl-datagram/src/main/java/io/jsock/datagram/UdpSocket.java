package io.jsock.datagram;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.MulticastOptions;
import io.jsock.MulticastOptions.MulticastGroup;
import io.jsock.Shutdown;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.spi.AbstractSocket;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A UDP socket on a {@link DatagramChannel} opened with the socket's protocol family.
 *
 * <p>Modes: blocking mode uses the channel in blocking mode; timeout and non-blocking mode use it in
 * non-blocking mode, and a timeout waits on a {@link Selector} made the first time a call has to
 * wait (one for reads, one for writes, so a reading and a writing thread never share one).
 *
 * <p>Where the JDK differs from Linux, {@link DatagramProvider}'s javadoc says what this socket
 * does about it.
 */
final class UdpSocket extends AbstractSocket {
    private static final byte[] EMPTY = new byte[0];
    /** No UDP payload is longer, so a receive buffer never needs more. */
    private static final int MAX_PAYLOAD = 65536;
    private static final int SHUT_RD = 1;
    private static final int SHUT_WR = 2;
    /**
     * The direct buffer {@code recv} and {@code recvFrom} receive into before copying out the bytes
     * that came: one per thread, as the JDK keeps its temporary buffers, so memory grows with
     * threads (at most 64 KiB each), not with sockets.
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    private static final Set<SocketOption<?>> OPTIONS = Set.of(
            StandardSocketOptions.SO_BROADCAST,
            StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.IP_TOS,
            StandardSocketOptions.IP_MULTICAST_IF,
            StandardSocketOptions.IP_MULTICAST_TTL,
            StandardSocketOptions.IP_MULTICAST_LOOP,
            MulticastOptions.IP_ADD_MEMBERSHIP,
            MulticastOptions.IP_DROP_MEMBERSHIP);

    private final DatagramChannel channel;
    /** Guards the selectors, the memberships, the shutdown bits, and the descriptor against close. */
    private final Object lock = new Object();
    private volatile Selector readSelector;
    private volatile Selector writeSelector;
    private final Map<MulticastGroup, MembershipKey> memberships = new HashMap<>();
    private volatile int shut;

    private UdpSocket(AddressFamily family, int proto, DatagramChannel channel) {
        super(family, SocketType.SOCK_DGRAM, proto);
        this.channel = channel;
    }

    /** socket(AF_INET or AF_INET6, SOCK_DGRAM, proto). */
    static UdpSocket open(AddressFamily family, int proto) throws SocketError {
        try {
            StandardProtocolFamily pf = family == AddressFamily.AF_INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
            return new UdpSocket(family, proto, DatagramChannel.open(pf));
        } catch (IOException | UnsupportedOperationException e) {
            // UnsupportedOperationException: the JDK found no IPv6 on this host
            throw translate("socket(" + family + ", SOCK_DGRAM, " + proto + ")",
                    e instanceof UnsupportedOperationException ? Errno.EAFNOSUPPORT : null, e);
        }
    }

    // ---- addresses --------------------------------------------------------------------------

    @Override
    protected void implBind(SocketAddress address) throws SocketError {
        try {
            channel.bind(address);
        } catch (IOException | RuntimeException e) {
            throw error("bind", address, e);
        }
    }

    @Override
    protected void implConnect(SocketAddress address) throws SocketError {
        try {
            if (channel.isConnected()) {
                // Linux lets a UDP socket connect again to change its peer; the JDK wants a disconnect first
                channel.disconnect();
            }
            channel.connect(address);
        } catch (IOException | RuntimeException e) {
            throw error("connect", address, e);
        }
    }

    @Override
    protected SocketAddress implGetSockName() throws SocketError {
        try {
            SocketAddress local = channel.getLocalAddress();
            if (local != null) {
                return mapped(local);
            }
            return new InetSocketAddress(InetAddress.getByAddress(new byte[family() == AddressFamily.AF_INET ? 4 : 16]), 0);
        } catch (IOException | RuntimeException e) {
            throw error("getsockname", null, e);
        }
    }

    @Override
    protected SocketAddress implGetPeerName() throws SocketError {
        SocketAddress peer;
        try {
            peer = channel.getRemoteAddress();
        } catch (IOException | RuntimeException e) {
            throw error("getpeername", null, e);
        }
        if (peer == null) {
            throw SocketError.of(Errno.ENOTCONN, "getpeername");
        }
        return mapped(peer);
    }

    // ---- no connections ---------------------------------------------------------------------

    @Override
    protected void implListen(int backlog) throws SocketError {
        throw SocketError.of(Errno.EOPNOTSUPP, "listen");
    }

    @Override
    protected Accepted implAccept() throws SocketError {
        throw SocketError.of(Errno.EOPNOTSUPP, "accept");
    }

    @Override
    protected void implShutdown(Shutdown how) throws SocketError {
        int bits = how == Shutdown.SHUT_RD ? SHUT_RD : how == Shutdown.SHUT_WR ? SHUT_WR : SHUT_RD | SHUT_WR;
        synchronized (lock) {
            shut |= bits;
        }
        if (!channel.isConnected()) {
            // Linux records the shutdown of an unconnected UDP socket and still reports ENOTCONN
            throw SocketError.of(Errno.ENOTCONN, "shutdown");
        }
    }

    // ---- receiving --------------------------------------------------------------------------

    @Override
    protected byte[] implRecv(int bufsize) throws SocketError {
        if (bufsize == 0) {
            return EMPTY; // Python's recv(0) returns b'' at once and leaves the next datagram queued
        }
        ByteBuffer buf = scratch(bufsize);
        receive(buf, "recv");
        return copyOut(buf);
    }

    @Override
    protected Datagram implRecvFrom(int bufsize) throws SocketError {
        ByteBuffer buf = scratch(bufsize);
        SocketAddress sender = receive(buf, "recvfrom");
        return new Datagram(copyOut(buf), mapped(sender));
    }

    @Override
    protected int implRecvInto(ByteBuffer dst) throws SocketError {
        if (!dst.hasRemaining()) {
            return 0; // as recv(0): nothing asked, nothing consumed
        }
        int before = dst.position();
        receive(dst, "recv_into");
        return dst.position() - before;
    }

    @Override
    protected SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError {
        return mapped(receive(dst, "recvfrom_into"));
    }

    /**
     * An IPv4 address as an AF_INET6 socket names it, {@code ::ffff:a.b.c.d}, as Linux and CPython
     * do; the JDK decodes such addresses as IPv4, which an AF_INET6 socket could not send back to.
     */
    private SocketAddress mapped(SocketAddress address) {
        if (family() != AddressFamily.AF_INET6 || !(address instanceof InetSocketAddress inet)
                || !(inet.getAddress() instanceof Inet4Address v4)) {
            return address;
        }
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, v6, 12, 4);
        try {
            return new InetSocketAddress(Inet6Address.getByAddress(null, v6, (NetworkInterface) null), inet.getPort());
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes are an IPv6 address", impossible);
        }
    }

    /**
     * recvfrom(2) of one datagram into {@code dst} in the socket's mode; a longer datagram is cut
     * to the room left and the rest dropped. Returns the sender, or null when the read side is shut
     * down and nothing is queued (Linux's 0-byte return).
     */
    private SocketAddress receive(ByteBuffer dst, String op) throws SocketError {
        try {
            if (channel.isBlocking()) {
                if ((shut & SHUT_RD) == 0) {
                    return channel.receive(dst);
                }
                switchToNonBlocking();
            }
            Duration timeout = getTimeout();
            boolean forever = timeout == null;
            if (!forever && !timeout.isZero()) {
                checkInterrupt(op);
            }
            SocketAddress sender = channel.receive(dst);
            if (sender != null) {
                return sender;
            }
            if (forever && (shut & SHUT_RD) != 0) {
                return null;
            }
            if (!forever && timeout.isZero()) {
                throw SocketError.of(Errno.EAGAIN, op);
            }
            long deadline = forever ? 0 : System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!await(SelectionKey.OP_READ, forever, deadline, op)) {
                    return receive(dst, op); // the mode changed while waiting: start over in the new one
                }
                sender = channel.receive(dst);
                if (sender != null) {
                    return sender;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw error(op, null, e);
        }
    }

    private static byte[] copyOut(ByteBuffer buf) {
        buf.flip();
        if (!buf.hasRemaining()) {
            return EMPTY;
        }
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    /** This thread's receive buffer with room for {@code bufsize} bytes (at most a whole datagram). */
    private static ByteBuffer scratch(int bufsize) {
        int size = Math.min(bufsize, MAX_PAYLOAD);
        ByteBuffer buf = SCRATCH.get();
        if (buf == null || buf.capacity() < size) {
            buf = ByteBuffer.allocateDirect(Math.max(2048, Integer.highestOneBit(Math.max(size, 1) - 1) << 1));
            SCRATCH.set(buf);
        }
        buf.clear().limit(size);
        return buf;
    }

    // ---- sending ----------------------------------------------------------------------------

    @Override
    protected int implSend(ByteBuffer src) throws SocketError {
        return transmit(src, null, "send");
    }

    @Override
    protected void implSendAll(ByteBuffer src) throws SocketError {
        // a datagram goes whole or not at all, so sendall is one send
        transmit(src, null, "sendall");
    }

    @Override
    protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError {
        return transmit(src, (InetSocketAddress) address, "sendto");
    }

    /** send(2) to the connected peer ({@code target} null) or sendto(2), in the socket's mode. */
    private int transmit(ByteBuffer src, InetSocketAddress target, String op) throws SocketError {
        if ((shut & SHUT_WR) != 0) {
            throw SocketError.of(Errno.EPIPE, op);
        }
        try {
            if (!src.hasRemaining() && channel.isConnected()) {
                return sendEmptyConnected(target, op);
            }
            if (channel.isBlocking()) {
                return target == null ? channel.write(src) : channel.send(src, target);
            }
            Duration timeout = getTimeout();
            boolean forever = timeout == null;
            if (!forever && !timeout.isZero()) {
                checkInterrupt(op);
            }
            int n = target == null ? channel.write(src) : channel.send(src, target);
            if (n > 0 || !src.hasRemaining()) {
                return n;
            }
            if (!forever && timeout.isZero()) {
                throw SocketError.of(Errno.EAGAIN, op);
            }
            long deadline = forever ? 0 : System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!await(SelectionKey.OP_WRITE, forever, deadline, op)) {
                    return transmit(src, target, op);
                }
                n = target == null ? channel.write(src) : channel.send(src, target);
                if (n > 0) {
                    return n;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw error(op, target, e);
        }
    }

    /** A zero-length datagram to the connected peer: write(2) of nothing on the descriptor. */
    private int sendEmptyConnected(InetSocketAddress target, String op) throws SocketError, IOException {
        if (target != null && !target.equals(channel.getRemoteAddress())) {
            throw new AlreadyConnectedException();
        }
        if (Descriptors.WRITE0 == null) {
            throw new SocketError(Errno.EOPNOTSUPP, op + ": a zero-length datagram on a connected socket needs the descriptor, "
                    + "which JDK NIO keeps private; " + Descriptors.HOW_TO_OPEN);
        }
        synchronized (lock) {
            // under the lock, so close cannot free the descriptor number for reuse while it is written to
            if (isClosed() || !channel.isOpen()) {
                throw closedError(op);
            }
            try {
                int n = (Integer) Descriptors.WRITE0.invoke(null, Descriptors.GET_FD.invoke(channel), 0L, 0);
                if (n < 0) {
                    throw SocketError.of(Errno.EAGAIN, op);
                }
                return 0;
            } catch (InvocationTargetException e) {
                throw error(op, target, e.getCause());
            } catch (IllegalAccessException e) {
                throw error(op, target, e);
            }
        }
    }

    // ---- modes ------------------------------------------------------------------------------

    @Override
    protected void implSetTimeout(Duration timeout) throws SocketError {
        boolean blocking = timeout == null && (shut & SHUT_RD) == 0;
        try {
            if (blocking && !channel.isBlocking()) {
                closeSelectors(); // a channel registered with a selector cannot block
                channel.configureBlocking(true);
            } else if (!blocking && channel.isBlocking()) {
                channel.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            throw error("settimeout", null, e);
        }
    }

    /** After SHUT_RD, blocking mode runs on a non-blocking channel: an empty queue reads as 0 bytes. */
    private void switchToNonBlocking() throws IOException {
        channel.configureBlocking(false);
    }

    /**
     * Waits until the channel is ready for {@code interest} or the deadline passes.
     *
     * @return false if the wait ended because the socket's mode changed and the call must start over
     */
    private boolean await(int interest, boolean forever, long deadline, String op) throws IOException, SocketError {
        Selector selector = selector(interest, op);
        try {
            if (forever) {
                selector.select();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw timeoutError(op);
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
            }
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            if (isClosed()) {
                throw closedError(op);
            }
            return false;
        }
        checkInterrupt(op);
        return true;
    }

    private Selector selector(int interest, String op) throws IOException, SocketError {
        Selector selector = interest == SelectionKey.OP_READ ? readSelector : writeSelector;
        if (selector != null) {
            return selector;
        }
        synchronized (lock) {
            if (isClosed()) {
                throw closedError(op);
            }
            selector = Selector.open();
            try {
                channel.register(selector, interest);
            } catch (IOException | RuntimeException e) {
                selector.close();
                throw e;
            }
            if (interest == SelectionKey.OP_READ) {
                readSelector = selector;
            } else {
                writeSelector = selector;
            }
            return selector;
        }
    }

    private void closeSelectors() throws IOException {
        synchronized (lock) {
            Selector r = readSelector;
            Selector w = writeSelector;
            readSelector = null;
            writeSelector = null;
            try {
                if (r != null) {
                    r.close();
                }
            } finally {
                if (w != null) {
                    w.close();
                }
            }
        }
    }

    /** A thread interrupted in (or before) a call that may wait closes the socket, as Socket's javadoc says. */
    private void checkInterrupt(String op) throws SocketError {
        if (Thread.currentThread().isInterrupted()) {
            close();
            throw new SocketError(Errno.EINTR, op + ": Interrupted system call (the thread is interrupted, so the socket was closed)");
        }
    }

    // ---- descriptor -------------------------------------------------------------------------

    @Override
    protected int implFileno() throws SocketError {
        if (Descriptors.FD_VAL == null) {
            throw new SocketError(Errno.EOPNOTSUPP, "fileno: JDK NIO keeps the descriptor private; " + Descriptors.HOW_TO_OPEN);
        }
        try {
            return (Integer) Descriptors.FD_VAL.invoke(channel);
        } catch (InvocationTargetException e) {
            throw error("fileno", null, e.getCause());
        } catch (IllegalAccessException e) {
            throw error("fileno", null, e);
        }
    }

    @Override
    protected void implClose() {
        synchronized (lock) {
            try {
                channel.close(); // wakes a call blocked in the channel: it ends with AsynchronousCloseException
            } catch (IOException e) {
                // close(2) failing still frees the descriptor on Linux, and close() must not throw
            } finally {
                try {
                    closeSelectors(); // wakes a call waiting in select; also lets the channel release its descriptor
                } catch (IOException e) {
                    // as above: nothing is left open, and close() must not throw
                }
            }
            memberships.clear();
        }
    }

    // ---- options ----------------------------------------------------------------------------

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    protected <T> void implSetOption(SocketOption<T> option, T value) throws SocketError {
        String op = "setsockopt " + option.name() + " " + value;
        try {
            if (option == MulticastOptions.IP_ADD_MEMBERSHIP) {
                join((MulticastGroup) value, op);
            } else if (option == MulticastOptions.IP_DROP_MEMBERSHIP) {
                drop((MulticastGroup) value, op);
            } else {
                channel.setOption(option, value);
            }
        } catch (IOException | RuntimeException e) {
            throw error(op, null, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T implGetOption(SocketOption<T> option) throws SocketError {
        if (option == MulticastOptions.IP_ADD_MEMBERSHIP || option == MulticastOptions.IP_DROP_MEMBERSHIP) {
            throw SocketError.of(Errno.ENOPROTOOPT, "getsockopt " + option.name());
        }
        try {
            T value = channel.getOption(option);
            if (option == StandardSocketOptions.SO_RCVBUF || option == StandardSocketOptions.SO_SNDBUF) {
                // the JDK halves what getsockopt(2) says on Linux; Python shows the kernel's (doubled) size
                return (T) Integer.valueOf(((Integer) value) * 2);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw error("getsockopt " + option.name(), null, e);
        }
    }

    private void join(MulticastGroup group, String op) throws IOException, SocketError {
        synchronized (lock) {
            if (memberships.containsKey(group)) {
                throw SocketError.of(Errno.EADDRINUSE, op);
            }
            memberships.put(group, channel.join(group.group(), group.networkInterface()));
        }
    }

    private void drop(MulticastGroup group, String op) throws SocketError {
        MembershipKey key;
        synchronized (lock) {
            key = memberships.remove(group);
        }
        if (key == null) {
            throw SocketError.of(Errno.EADDRNOTAVAIL, op);
        }
        key.drop();
    }

    // ---- errors -----------------------------------------------------------------------------

    /**
     * The one translation of the JDK's failures into {@link SocketError}: the message names the
     * call and the address, then what strerror(3) says.
     */
    private SocketError error(String op, SocketAddress address, Throwable e) {
        String call = address == null ? op : op + " " + describe(address);
        if (e instanceof SocketError se) {
            return se;
        }
        if (e instanceof ClosedByInterruptException) {
            close(); // the JDK closed the channel; the socket follows, as Socket's javadoc says
            return new SocketError(Errno.EINTR, call + ": Interrupted system call (the thread was interrupted, so the socket was closed)", e);
        }
        if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException || e instanceof ClosedSelectorException) {
            return new SocketError(Errno.EBADF, call + ": Bad file descriptor (socket is closed)", e);
        }
        return translate(call, null, e);
    }

    private static SocketError translate(String call, Errno known, Throwable e) {
        Errno errno = known != null ? known : errnoOf(e);
        if (errno == null) {
            return new SocketError(Errno.EIO, call + ": " + e, e);
        }
        return new SocketError(errno, call + ": " + errno.description(), e);
    }

    private static Errno errnoOf(Throwable e) {
        if (e instanceof PortUnreachableException) {
            return Errno.ECONNREFUSED; // an ICMP port unreachable reported on a connected socket
        }
        if (e instanceof NotYetConnectedException) {
            return Errno.EDESTADDRREQ; // send on an unconnected datagram socket
        }
        if (e instanceof AlreadyBoundException || e instanceof IllegalArgumentException || e instanceof IllegalBlockingModeException) {
            return Errno.EINVAL;
        }
        if (e instanceof AlreadyConnectedException) {
            return Errno.EISCONN;
        }
        if (e instanceof UnsupportedAddressTypeException) {
            return Errno.EAFNOSUPPORT;
        }
        String message = e.getMessage();
        if (message == null) {
            return null;
        }
        if (message.startsWith("Can't send to port 0") || message.startsWith("Can't connect to port 0")) {
            return Errno.EINVAL;
        }
        // the JDK's socket exceptions carry strerror(3) of the errno as their message
        return Errno.inMessage(message);
    }

    /** JDK internals reachable only when java.base opens sun.nio.ch to this code. */
    private static final class Descriptors {
        static final String HOW_TO_OPEN = "run java with --add-opens java.base/sun.nio.ch="
                + (UdpSocket.class.getModule().isNamed() ? UdpSocket.class.getModule().getName() : "ALL-UNNAMED")
                + " (jsock.jar's manifest gives it)";
        static final Method FD_VAL;
        static final Method GET_FD;
        static final Method WRITE0;

        static {
            Method fdVal;
            Method getFd;
            Method write0;
            try {
                Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
                fdVal = selChImpl.getMethod("getFDVal");
                fdVal.setAccessible(true);
                getFd = selChImpl.getMethod("getFD");
                getFd.setAccessible(true);
                write0 = Class.forName("sun.nio.ch.DatagramDispatcher").getDeclaredMethod("write0", FileDescriptor.class, long.class, int.class);
                write0.setAccessible(true);
            } catch (ReflectiveOperationException | InaccessibleObjectException | SecurityException notOpened) {
                fdVal = null;
                getFd = null;
                write0 = null;
            }
            FD_VAL = fdVal;
            GET_FD = getFd;
            WRITE0 = write0;
        }

        private Descriptors() {
        }
    }
}
