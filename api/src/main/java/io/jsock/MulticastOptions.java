package io.jsock;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketOption;
import java.util.Objects;

/**
 * jsock's multicast group options for datagram sockets, Python's
 * {@code setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq)} and {@code IP_DROP_MEMBERSHIP} (and, for
 * an {@code AF_INET6} socket, {@code IPV6_JOIN_GROUP} / {@code IPV6_LEAVE_GROUP}). They are
 * write-only: {@link Socket#getOption} of them throws {@link Errno#ENOPROTOOPT}, as getsockopt(2) does.
 *
 * <pre>{@code
 * NetworkInterface lo = NetworkInterface.getByName("lo");
 * InetAddress group = InetAddress.getByName("239.255.42.99");
 * sock.setOption(MulticastOptions.IP_ADD_MEMBERSHIP, new MulticastOptions.MulticastGroup(group, lo));
 * ...
 * sock.setOption(MulticastOptions.IP_DROP_MEMBERSHIP, new MulticastOptions.MulticastGroup(group, lo));
 * }</pre>
 *
 * The other multicast options are {@link java.net.StandardSocketOptions#IP_MULTICAST_IF},
 * {@code IP_MULTICAST_TTL} and {@code IP_MULTICAST_LOOP}.
 */
public final class MulticastOptions {
    /**
     * Joins a group on an interface, setsockopt(IP_ADD_MEMBERSHIP). {@link Errno#EADDRINUSE} if this
     * socket already joined that group there, {@link Errno#EINVAL} if the address is no multicast
     * address.
     */
    public static final SocketOption<MulticastGroup> IP_ADD_MEMBERSHIP = new Option<>("IP_ADD_MEMBERSHIP", MulticastGroup.class);

    /**
     * Leaves a group this socket joined, setsockopt(IP_DROP_MEMBERSHIP). {@link Errno#EADDRNOTAVAIL}
     * if it is not a member there.
     */
    public static final SocketOption<MulticastGroup> IP_DROP_MEMBERSHIP = new Option<>("IP_DROP_MEMBERSHIP", MulticastGroup.class);

    private MulticastOptions() {
    }

    /**
     * A multicast group on one interface: the {@code struct ip_mreqn} (or {@code ipv6_mreq}) of the
     * membership options. The interface is required: the JDK joins on a named interface, never on
     * "any".
     *
     * @param group            the group's address: 224.0.0.0/4 or ff00::/8
     * @param networkInterface the interface to join on, for example {@code NetworkInterface.getByName("lo")}
     */
    public record MulticastGroup(InetAddress group, NetworkInterface networkInterface) {
        public MulticastGroup {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(networkInterface, "networkInterface");
        }

        /** The family of the group's address: {@code AF_INET} or {@code AF_INET6}. */
        public AddressFamily family() {
            return group instanceof Inet6Address ? AddressFamily.AF_INET6 : AddressFamily.AF_INET;
        }

        @Override
        public String toString() {
            return group.getHostAddress() + " on " + networkInterface.getName();
        }
    }

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }
}
