package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.core.NativeSocket;
import io.jsock.spi.SocketProvider;

import java.util.Objects;

/**
 * jsock's TCP provider, named {@code "inet"}: {@code SOCK_STREAM} over {@code AF_INET} and
 * {@code AF_INET6} with protocol 0 or {@link Protocols#IPPROTO_TCP}, and
 * {@link Protocols#IPPROTO_MPTCP} (Multipath TCP) where the kernel has it, on jsock's system-call layer:
 * each socket is a Linux descriptor, each call its system call, each errno the kernel's, as in
 * CPython on Linux. {@link Socket#fileno()} is the descriptor, needs no JVM flag, and does not
 * change at {@code listen}; descriptors are opened with {@code SOCK_CLOEXEC}.
 */
public final class InetProvider implements SocketProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public InetProvider() {
    }

    @Override
    public String name() {
        return "inet";
    }

    @Override
    public boolean supports(AddressFamily family, SocketType type, int proto) {
        return isInet(family) && type == SocketType.SOCK_STREAM
                && (isTcp(proto) || proto == Protocols.IPPROTO_MPTCP && NativeSocket.kernelHas(family, type, proto));
    }

    /**
     * A new TCP socket; socket(2). Errors as Linux gives them for this provider's family set:
     * {@link Errno#EAFNOSUPPORT} for a family other than AF_INET / AF_INET6,
     * {@link Errno#ESOCKTNOSUPPORT} for a type other than SOCK_STREAM,
     * {@link Errno#EPROTONOSUPPORT} for a protocol other than 0 / IPPROTO_TCP / IPPROTO_MPTCP, and
     * for IPPROTO_MPTCP where the kernel has no MPTCP (socket(2) says so, as to CPython).
     */
    @Override
    public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        String call = "socket(" + family + ", " + type + ", " + proto + ")";
        if (!isInet(family)) {
            throw new SocketError(Errno.EAFNOSUPPORT, call + ": " + Errno.EAFNOSUPPORT.description()
                    + " (provider inet takes AF_INET and AF_INET6)");
        }
        if (type != SocketType.SOCK_STREAM) {
            throw new SocketError(Errno.ESOCKTNOSUPPORT, call + ": " + Errno.ESOCKTNOSUPPORT.description()
                    + " (provider inet takes SOCK_STREAM)");
        }
        if (!isTcp(proto) && proto != Protocols.IPPROTO_MPTCP) {
            throw new SocketError(Errno.EPROTONOSUPPORT, call + ": " + Errno.EPROTONOSUPPORT.description()
                    + " (provider inet takes 0, IPPROTO_TCP and IPPROTO_MPTCP)");
        }
        return NativeSocket.open(family, type, proto);
    }

    private static boolean isInet(AddressFamily family) {
        return family == AddressFamily.AF_INET || family == AddressFamily.AF_INET6;
    }

    private static boolean isTcp(int proto) {
        return proto == Protocols.DEFAULT || proto == Protocols.IPPROTO_TCP;
    }

    @Override
    public String toString() {
        return "InetProvider[inet: AF_INET/AF_INET6 SOCK_STREAM, TCP and MPTCP]";
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
