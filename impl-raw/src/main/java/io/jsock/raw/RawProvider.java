package io.jsock.raw;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.PacketAddress;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.core.NativeSocket;
import io.jsock.spi.SocketProvider;

import java.util.Objects;

/**
 * jsock's raw provider, {@code "raw"}, on Linux, on jsock's system-call layer:
 * <ul>
 * <li>{@code AF_INET} / {@code AF_INET6} {@code SOCK_RAW} with any protocol 1..255:
 *     {@code IPPROTO_ICMP} (a received datagram starts with its IPv4 header, as in CPython),
 *     {@code IPPROTO_ICMPV6} (the kernel fills in the ICMPv6 checksum and hands over no IPv6
 *     header), {@code IPPROTO_RAW} (the caller writes the IPv4 header: {@code IP_HDRINCL} is on),
 *     or any other with {@code setOption(Sockopt.SOL_IP, Sockopt.IP_HDRINCL, 1)};</li>
 * <li>{@code AF_PACKET} {@code SOCK_RAW} (whole link-layer frames) and {@code SOCK_DGRAM} (the
 *     link-layer header removed), the protocol in network order as Python takes it ({@code 768}
 *     is {@code htons(ETH_P_ALL)}), addressed with {@link PacketAddress}: bind(2) to an interface
 *     by name, {@code recvFrom} gives the sender's interface, protocol, packet type, hardware type
 *     and address as Python's tuple does;</li>
 * <li>{@code AF_TIPC} {@code SOCK_RDM}: socket(2) only, so that where the kernel lacks TIPC the
 *     error says so ({@code EAFNOSUPPORT}); jsock has no TIPC addresses.</li>
 * </ul>
 * Without {@code CAP_NET_RAW}, socket(2) fails with {@code EPERM}, as Linux says, and the message names the capability.
 */
public final class RawProvider implements SocketProvider {
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    /** The provider's name, {@value}. */
    public static final String NAME = "raw";

    /** For {@link java.util.ServiceLoader}. */
    public RawProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(AddressFamily family, SocketType type, int proto) {
        if (!LINUX || family == null || type == null) {
            return false;
        }
        switch (family) {
            case AF_INET:
            case AF_INET6:
                return type == SocketType.SOCK_RAW && proto > 0 && proto <= 255;
            case AF_PACKET:
                return (type == SocketType.SOCK_RAW || type == SocketType.SOCK_DGRAM) && proto >= 0 && proto <= 0xffff;
            case AF_TIPC:
                return type == SocketType.SOCK_RDM && proto == 0;
            default:
                return false;
        }
    }

    /**
     * socket(2) with {@code SOCK_CLOEXEC}, in blocking mode. {@code EPERM} without
     * {@code CAP_NET_RAW}; {@code EAFNOSUPPORT} for {@code AF_TIPC} where the kernel has no TIPC;
     * {@code EAFNOSUPPORT}, {@code ESOCKTNOSUPPORT} or {@code EPROTONOSUPPORT} for a triple this provider does not take.
     */
    @Override
    public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        String call = "socket(" + family + ", " + type + ", " + proto + ")";
        if (!supports(family, type, proto)) {
            Errno e = !LINUX || (family != AddressFamily.AF_INET && family != AddressFamily.AF_INET6
                    && family != AddressFamily.AF_PACKET && family != AddressFamily.AF_TIPC) ? Errno.EAFNOSUPPORT
                    : supports(family, type, family == AddressFamily.AF_INET || family == AddressFamily.AF_INET6 ? 1 : 0)
                    ? Errno.EPROTONOSUPPORT : Errno.ESOCKTNOSUPPORT;
            throw new SocketError(e, call + ": " + e.description() + " (provider raw takes AF_INET and AF_INET6 SOCK_RAW with"
                    + " protocol 1..255, AF_PACKET SOCK_RAW and SOCK_DGRAM, AF_TIPC SOCK_RDM" + (LINUX ? ")" : ", on Linux only)"));
        }
        try {
            return NativeSocket.open(family, type, proto);
        } catch (SocketError e) {
            if (e.errno() == Errno.EPERM) {
                throw new SocketError(Errno.EPERM, call + ": " + Errno.EPERM.description()
                        + " (raw and packet sockets need CAP_NET_RAW: run as root, or give the java binary the capability"
                        + " with setcap cap_net_raw+ep)", e);
            }
            if (e.errno() == Errno.EAFNOSUPPORT && family == AddressFamily.AF_TIPC) {
                throw new SocketError(Errno.EAFNOSUPPORT, call + ": " + Errno.EAFNOSUPPORT.description()
                        + " (this kernel has no TIPC support, and SOCK_RDM needs AF_TIPC: load the tipc module with modprobe tipc"
                        + " where the kernel has it built)", e);
            }
            throw e;
        }
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
