package io.jsock.unix;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.core.NativeSocket;
import io.jsock.spi.SocketProvider;

/**
 * jsock's AF_UNIX provider, {@code "unix"}: SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET with the
 * default protocol, on Linux, on jsock's system-call layer ({@code io.jsock.core}). SOCK_SEQPACKET
 * connects, listens and accepts as a stream does and keeps message boundaries as a datagram does:
 * one {@code recv} takes one message, a longer one is cut and its rest dropped ({@code MSG_TRUNC}
 * on {@code recvInto} gives its real length), and an empty {@code recv} is the peer's end. Path names, Linux abstract names
 * ({@link io.jsock.UnixAddress#abstractName}) and unnamed sockets; socketpair(2);
 * {@code SO_PEERCRED}, {@code SO_PASSCRED}, {@code SO_RCVBUF}, {@code SO_SNDBUF}.
 *
 * <p>As in BSD, close(2) leaves a socket file where bind(2) made it, and bind(2) to an existing
 * path fails with {@code EADDRINUSE} whatever the file is.
 */
public final class UnixProvider implements SocketProvider {
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    /** The provider, as {@link java.util.ServiceLoader} makes it. */
    public UnixProvider() {
    }

    @Override
    public String name() {
        return "unix";
    }

    @Override
    public boolean supports(AddressFamily family, SocketType type, int proto) {
        return LINUX && family == AddressFamily.AF_UNIX && proto == 0
                && (type == SocketType.SOCK_STREAM || type == SocketType.SOCK_DGRAM || type == SocketType.SOCK_SEQPACKET);
    }

    /** socket(2) with {@code SOCK_CLOEXEC}; the socket starts in blocking mode. */
    @Override
    public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
        check(family, type, proto, "socket");
        return NativeSocket.open(family, type, proto);
    }

    /** socketpair(2): two connected, unnamed sockets in blocking mode. */
    @Override
    public SocketPair openPair(AddressFamily family, SocketType type) throws SocketError {
        check(family, type, 0, "socketpair");
        return NativeSocket.openPair(family, type, 0);
    }

    private void check(AddressFamily family, SocketType type, int proto, String call) throws SocketError {
        if (supports(family, type, proto)) {
            return;
        }
        Errno errno = !LINUX || family != AddressFamily.AF_UNIX ? Errno.EAFNOSUPPORT
                : type != SocketType.SOCK_STREAM && type != SocketType.SOCK_DGRAM && type != SocketType.SOCK_SEQPACKET
                ? Errno.ESOCKTNOSUPPORT : Errno.EPROTONOSUPPORT;
        throw new SocketError(errno, call + "(" + family + ", " + type + ", " + proto + "): " + errno.description()
                + " (provider unix has AF_UNIX SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET with protocol 0"
                + (LINUX ? ")" : ", on Linux only)"));
    }

    /** A socket on an open descriptor of a triple this provider takes; see {@link SocketProvider#adopt}. */
    @Override
    public Socket adopt(int fd, boolean duplicate) throws SocketError {
        return NativeSocket.adopt(fd, duplicate, this::supports, name());
    }

    /** close(2) of a descriptor a detach() gave out. */
    @Override
    public void closeDescriptor(int fd) throws SocketError {
        NativeSocket.closeDescriptor(fd);
    }
}
