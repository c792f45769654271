package io.jsock.server;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.UnixAddress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
