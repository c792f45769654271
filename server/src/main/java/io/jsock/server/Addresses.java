package io.jsock.server;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** The servers' argument checks: the address's kind, and the bound socket's type (a socket refused is closed, as the server owns it). */
final class Addresses {
    private Addresses() {
    }

    static InetSocketAddress inet(SocketAddress address) throws SocketError {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("address must be an InetSocketAddress, not " + address.getClass().getName());
        }
        if (!inet.isUnresolved()) {
            return inet;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(inet.getHostString()), inet.getPort());
        } catch (UnknownHostException e) {
            throw new SocketError(io.jsock.Errno.EAI_NONAME, "bind " + inet.getHostString() + ": Name or service not known", e);
        }
    }

    static AddressFamily family(InetSocketAddress inet) {
        return inet.getAddress() instanceof Inet6Address ? AddressFamily.AF_INET6 : AddressFamily.AF_INET;
    }

    static SocketAddress unix(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof UnixAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("address must be a UnixAddress or UnixDomainSocketAddress, not " + address.getClass().getName());
        }
        return address;
    }

    /**
     * A socket of {@code family} and {@code type} bound to {@code address} (checked by the caller),
     * with {@code SO_REUSEADDR} first where asked; closed again if a step fails.
     */
    static Socket bound(AddressFamily family, SocketType type, SocketAddress address, boolean reuseAddress) throws SocketError {
        Socket s = Sockets.socket(family, type);
        try {
            if (reuseAddress) {
                s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            s.bind(address);
            return s;
        } catch (SocketError | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A socket of {@code type} bound to {@code address}, an IP address: the family is the address's. */
    static Socket boundInet(SocketAddress address, SocketType type, boolean reuseAddress) throws SocketError {
        InetSocketAddress inet = inet(address);
        return bound(family(inet), type, inet, reuseAddress);
    }

    /** A bound stream socket made to listen with the servers' backlog; closed if it is no stream or cannot listen. */
    static Socket listening(Socket bound) throws SocketError {
        requireConnectionOriented(bound);
        try {
            bound.listen(Streams.BACKLOG);
            return bound;
        } catch (SocketError e) {
            bound.close();
            throw e;
        }
    }

    /** A bound datagram socket as a datagram server takes it; closed if it is no datagram socket. */
    static Socket datagrams(Socket bound) {
        requireDatagram(bound);
        return bound;
    }

    static void requireConnectionOriented(Socket socket) {
        Objects.requireNonNull(socket, "bound");
        if (socket.type() != SocketType.SOCK_STREAM && socket.type() != SocketType.SOCK_SEQPACKET) {
            socket.close();
            throw new IllegalArgumentException("a stream server needs a SOCK_STREAM or SOCK_SEQPACKET socket, not " + socket.type());
        }
    }

    static void requireDatagram(Socket socket) {
        Objects.requireNonNull(socket, "bound");
        if (socket.type() != SocketType.SOCK_DGRAM) {
            socket.close();
            throw new IllegalArgumentException("a datagram server needs a SOCK_DGRAM socket, not " + socket.type());
        }
    }
}
