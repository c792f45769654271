package io.jsock.core;

import io.jsock.AddressFamily;
import io.jsock.MulticastOptions;
import io.jsock.SocketType;
import io.jsock.UnixOptions;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;

/** Which typed options each kind of socket takes, and the setsockopt(2) level, name and value shape of each. */
final class Options {
    /** How a value is laid out: an int flag, an int, struct linger, struct ucred, an interface, a membership. */
    enum Shape { FLAG, INT, LINGER, UCRED, INTERFACE, MEMBERSHIP }

    record Spec(int level, int name, Shape shape) {
    }

    private static final Set<SocketOption<?>> TCP = Set.of(StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_KEEPALIVE,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF);
    private static final Set<SocketOption<?>> UDP = Set.of(StandardSocketOptions.SO_BROADCAST,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.IP_TOS, StandardSocketOptions.IP_MULTICAST_IF,
            StandardSocketOptions.IP_MULTICAST_TTL, StandardSocketOptions.IP_MULTICAST_LOOP,
            MulticastOptions.IP_ADD_MEMBERSHIP, MulticastOptions.IP_DROP_MEMBERSHIP);
    /** What Linux takes on AF_UNIX at SOL_SOCKET, as CPython lets one set it; no TCP_NODELAY. */
    private static final Set<SocketOption<?>> UNIX_STREAM = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_LINGER, UnixOptions.SO_PASSCRED, UnixOptions.SO_PEERCRED);
    /** Datagram sockets leave out the connection options (keepalive, linger), which mean nothing to them. */
    private static final Set<SocketOption<?>> UNIX_DATAGRAM = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR, UnixOptions.SO_PASSCRED,
            UnixOptions.SO_PEERCRED);

    /** AF_PACKET takes SOL_SOCKET's buffer sizes; its own options are at SOL_PACKET, by number. */
    private static final Set<SocketOption<?>> PACKET = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_BROADCAST);

    private Options() {
    }

    static Set<SocketOption<?>> supported(AddressFamily family, SocketType type) {
        if (family == AddressFamily.AF_PACKET) {
            return PACKET;
        }
        if (family == AddressFamily.AF_UNIX) {
            return type == SocketType.SOCK_DGRAM ? UNIX_DATAGRAM : UNIX_STREAM;
        }
        return type == SocketType.SOCK_STREAM ? TCP : UDP;
    }

    /** The level, name and shape of a supported option on a socket of {@code family}. */
    static Spec spec(SocketOption<?> option, AddressFamily family) {
        boolean v6 = family == AddressFamily.AF_INET6;
        if (option == StandardSocketOptions.SO_RCVBUF) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_RCVBUF, Shape.INT);
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_SNDBUF, Shape.INT);
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_REUSEADDR, Shape.FLAG);
        } else if (option == StandardSocketOptions.SO_REUSEPORT) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_REUSEPORT, Shape.FLAG);
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_KEEPALIVE, Shape.FLAG);
        } else if (option == StandardSocketOptions.SO_BROADCAST) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_BROADCAST, Shape.FLAG);
        } else if (option == StandardSocketOptions.SO_LINGER) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_LINGER, Shape.LINGER);
        } else if (option == StandardSocketOptions.TCP_NODELAY) {
            return new Spec(Linux.IPPROTO_TCP, Linux.TCP_NODELAY, Shape.FLAG);
        } else if (option == UnixOptions.SO_PASSCRED) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_PASSCRED, Shape.FLAG);
        } else if (option == UnixOptions.SO_PEERCRED) {
            return new Spec(Linux.SOL_SOCKET, Linux.SO_PEERCRED, Shape.UCRED);
        } else if (option == StandardSocketOptions.IP_TOS) {
            return v6 ? new Spec(Linux.IPPROTO_IPV6, Linux.IPV6_TCLASS, Shape.INT) : new Spec(Linux.IPPROTO_IP, Linux.IP_TOS, Shape.INT);
        } else if (option == StandardSocketOptions.IP_MULTICAST_TTL) {
            return v6 ? new Spec(Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_HOPS, Shape.INT)
                    : new Spec(Linux.IPPROTO_IP, Linux.IP_MULTICAST_TTL, Shape.INT);
        } else if (option == StandardSocketOptions.IP_MULTICAST_LOOP) {
            return v6 ? new Spec(Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_LOOP, Shape.FLAG)
                    : new Spec(Linux.IPPROTO_IP, Linux.IP_MULTICAST_LOOP, Shape.FLAG);
        } else if (option == StandardSocketOptions.IP_MULTICAST_IF) {
            return v6 ? new Spec(Linux.IPPROTO_IPV6, Linux.IPV6_MULTICAST_IF, Shape.INTERFACE)
                    : new Spec(Linux.IPPROTO_IP, Linux.IP_MULTICAST_IF, Shape.INTERFACE);
        } else if (option == MulticastOptions.IP_ADD_MEMBERSHIP) {
            return new Spec(0, 0, Shape.MEMBERSHIP);
        } else if (option == MulticastOptions.IP_DROP_MEMBERSHIP) {
            return new Spec(0, 1, Shape.MEMBERSHIP);
        }
        throw new IllegalArgumentException("no option " + option.name());
    }
}
