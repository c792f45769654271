package io.jsock.datagram;

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
 * UDP: {@code SOCK_DGRAM} over {@code AF_INET} and {@code AF_INET6}, protocol 0 or
 * {@link Protocols#IPPROTO_UDP}, and UDP-Lite ({@link Protocols#IPPROTO_UDPLITE}, RFC 3828) where
 * the kernel has it, its checksum coverage set with {@code setOption(Sockopt.SOL_UDPLITE,
 * Sockopt.UDPLITE_SEND_CSCOV, n)} and required with {@code UDPLITE_RECV_CSCOV}; on jsock's system-call layer: each socket is a Linux descriptor
 * and each call its system call, so its sockets behave as CPython's UDP sockets on Linux do:
 * {@code sendto}/{@code recvfrom} keep message boundaries; a datagram longer than the buffer is cut
 * and the rest dropped; empty datagrams are datagrams; {@code connect} fixes the peer and filters
 * other senders (datagrams already queued stay queued), and {@code sendTo} another address still
 * sends; {@code send} unconnected is {@code EDESTADDRREQ}; {@code listen}/{@code accept}
 * {@code EOPNOTSUPP}; 65507 bytes is the largest IPv4 payload (65527 for IPv6), one more
 * {@code EMSGSIZE}; a connected socket reports an ICMP port unreachable as {@code ECONNREFUSED}
 * on a later call; {@code shutdown(SHUT_RD)} wakes a blocked receive; {@code SO_RCVBUF} and
 * {@code SO_SNDBUF} read as getsockopt(2) says (the kernel's doubled size). Multicast groups are
 * joined and left with {@link io.jsock.MulticastOptions}.
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
                && (proto == Protocols.DEFAULT || proto == Protocols.IPPROTO_UDP
                    || proto == Protocols.IPPROTO_UDPLITE && NativeSocket.kernelHas(family, type, proto));
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
        if (proto != Protocols.DEFAULT && proto != Protocols.IPPROTO_UDP && proto != Protocols.IPPROTO_UDPLITE) {
            throw SocketError.of(Errno.EPROTONOSUPPORT, call);
        }
        return NativeSocket.open(family, type, proto);
    }

    @Override
    public String toString() {
        return NAME;
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
