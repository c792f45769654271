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
 * {@link Protocols#IPPROTO_UDP}, on {@link java.nio.channels.DatagramChannel} (opened with
 * {@code StandardProtocolFamily.INET} or {@code INET6}, so the kernel socket has the family asked for).
 *
 * <p>Its sockets behave like CPython's UDP sockets on Linux: {@code sendto}/{@code recvfrom} keep
 * message boundaries; a datagram longer than the buffer is cut and the rest dropped; empty datagrams
 * are datagrams; {@code connect} fixes the peer and filters other senders; {@code send} unconnected
 * is {@code EDESTADDRREQ}; {@code listen}/{@code accept} {@code EOPNOTSUPP}; 65507 bytes is the
 * largest IPv4 payload (65527 for IPv6), one more {@code EMSGSIZE}; a connected socket reports an
 * ICMP port unreachable as {@code ECONNREFUSED} on a later call; {@code SO_RCVBUF} and
 * {@code SO_SNDBUF} read as getsockopt(2) says (the kernel's doubled size). Multicast groups are
 * joined and left with {@link io.jsock.MulticastOptions}.
 *
 * <p>Where JDK NIO does not let it follow Linux:
 * <ul>
 *   <li>{@code sendTo} an address other than the connected peer throws {@code EISCONN} (BSD's
 *       answer; Linux sends it).</li>
 *   <li>{@code connect} drops the datagrams already queued, and refuses port 0 with {@code EINVAL}.</li>
 *   <li>A receive on a socket that was never bound binds it to a free port first.</li>
 *   <li>{@code shutdown} is kept by the socket (NIO has none for datagrams): sends then raise
 *       {@code EPIPE}, and after {@code SHUT_RD} an empty queue reads as an empty datagram with no
 *       address, as on Linux; but a receive already blocked in blocking mode is not woken by it.</li>
 *   <li>{@code setTimeout} and {@code connect} wait for a receive blocked in blocking mode on another
 *       thread to end (the channel's locks), where Python returns at once.</li>
 *   <li>{@code fileno()} and a zero-length datagram on a connected socket need the descriptor, which
 *       takes {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (or {@code =io.jsock.datagram} on
 *       the module path); without it they throw {@code EOPNOTSUPP} naming the flag.</li>
 *   <li>{@code IP_MULTICAST_IF} reads as {@code null} until set (Python: 0.0.0.0).</li>
 * </ul>
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
