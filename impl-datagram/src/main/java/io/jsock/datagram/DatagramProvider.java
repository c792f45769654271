package io.jsock.datagram;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.spi.SocketProvider;

import java.util.Objects;

/**
 * UDP: {@code SOCK_DGRAM} over {@code AF_INET} and {@code AF_INET6}, protocol 0 or
 * {@link Protocols#IPPROTO_UDP}, on {@link java.nio.channels.DatagramChannel}. Its sockets behave
 * like Python's UDP sockets on Linux; where the JDK cannot, the socket's javadoc says so.
 */
public final class DatagramProvider implements SocketProvider {

    /** The provider's name, {@value}. */
    public static final String NAME = "datagram";

    /** For {@link java.util.ServiceLoader}. */
    public DatagramProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(AddressFamily family, SocketType type, int proto) {
        return (family == AddressFamily.AF_INET || family == AddressFamily.AF_INET6)
                && type == SocketType.SOCK_DGRAM
                && (proto == Protocols.DEFAULT || proto == Protocols.IPPROTO_UDP);
    }

    /** socket(2) of a UDP socket: a {@code DatagramChannel} of the family, unbound, in blocking mode. */
    @Override
    public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        String call = "socket(" + family + ", " + type + ", " + proto + ") with provider " + NAME;
        if (family != AddressFamily.AF_INET && family != AddressFamily.AF_INET6) {
            throw SocketError.of(Errno.EAFNOSUPPORT, call);
        }
        if (type != SocketType.SOCK_DGRAM) {
            throw SocketError.of(Errno.ESOCKTNOSUPPORT, call);
        }
        if (proto != Protocols.DEFAULT && proto != Protocols.IPPROTO_UDP) {
            throw SocketError.of(Errno.EPROTONOSUPPORT, call);
        }
        return UdpSocket.open(family, proto);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
