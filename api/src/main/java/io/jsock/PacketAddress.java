package io.jsock;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An {@code AF_PACKET} address, Linux's {@code struct sockaddr_ll}, as Python's tuple
 * {@code (ifname, proto, pkttype, hatype, addr)}: the interface by name, the Ethernet protocol in
 * host order ({@link #ETH_P_IP} is 0x0800, as Python's tuple shows it; {@code socket()}'s protocol
 * is in network order instead, {@code 768} for {@code htons(ETH_P_ALL)}), the packet type
 * ({@link #PACKET_HOST}, {@link #PACKET_OUTGOING}, ...), the ARP hardware type (1 Ethernet,
 * 772 loopback) and the hardware address (at most 8 bytes).
 *
 * <p>To bind(2) to an interface, {@code new PacketAddress("lo", PacketAddress.ETH_P_ALL, 0, 0, new byte[0])};
 * a protocol other than 0 also sets which frames the socket receives. A received frame's sender
 * reads as Python's {@code recvfrom} gives it. Value equality, the address compared by content.
 */
public final class PacketAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;

    /** {@code ETH_P_ALL}: every protocol; {@code socket(AF_PACKET, type, 768)} is its network-order form. */
    public static final int ETH_P_ALL = 0x0003;
    /** {@code ETH_P_IP}: IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** {@code ETH_P_IPV6}: IPv6. */
    public static final int ETH_P_IPV6 = 0x86DD;
    /** {@code PACKET_HOST}: a frame addressed to this host. */
    public static final int PACKET_HOST = 0;
    /** {@code PACKET_BROADCAST}: a link-layer broadcast. */
    public static final int PACKET_BROADCAST = 1;
    /** {@code PACKET_MULTICAST}: a link-layer multicast. */
    public static final int PACKET_MULTICAST = 2;
    /** {@code PACKET_OTHERHOST}: a frame to another host, seen in promiscuous mode. */
    public static final int PACKET_OTHERHOST = 3;
    /** {@code PACKET_OUTGOING}: a frame this host sent, looped back to a packet socket. */
    public static final int PACKET_OUTGOING = 4;
    /** The most bytes {@code sll_addr} holds. */
    public static final int MAX_ADDRESS = 8;

    private final String ifname;
    private final int protocol;
    private final int pktType;
    private final int haType;
    private final byte[] address;

    /**
     * @param ifname   the interface's name ({@code "lo"}, {@code "eth0"}); {@code ""} is none, as an unbound socket's name reads
     * @param protocol the Ethernet protocol in host order, 0..65535
     * @param pktType  the packet type, 0..255
     * @param haType   the ARP hardware type, 0..65535
     * @param address  the hardware address, at most {@value #MAX_ADDRESS} bytes (copied)
     * @throws NullPointerException     if {@code ifname} or {@code address} is null
     * @throws IllegalArgumentException if a number is out of its range or the address is too long
     */
    public PacketAddress(String ifname, int protocol, int pktType, int haType, byte[] address) {
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(address, "address");
        check("protocol", protocol, 0xffff);
        check("pktType", pktType, 0xff);
        check("haType", haType, 0xffff);
        if (address.length > MAX_ADDRESS) {
            throw new IllegalArgumentException("address must be at most " + MAX_ADDRESS + " bytes (sll_addr), got " + address.length);
        }
        this.ifname = ifname;
        this.protocol = protocol;
        this.pktType = pktType;
        this.haType = haType;
        this.address = address.clone();
    }

    private static void check(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be in 0.." + max + ", got " + value);
        }
    }

    /** The interface's name. */
    public String ifname() {
        return ifname;
    }

    /** The Ethernet protocol, host order ({@code 0x0800} for IPv4). */
    public int protocol() {
        return protocol;
    }

    /** The packet type ({@link #PACKET_HOST}, {@link #PACKET_OUTGOING}, ...). */
    public int pktType() {
        return pktType;
    }

    /** The ARP hardware type (1 Ethernet, 772 loopback). */
    public int haType() {
        return haType;
    }

    /** The hardware address (a copy). */
    public byte[] address() {
        return address.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketAddress p && p.ifname.equals(ifname) && p.protocol == protocol && p.pktType == pktType
                && p.haType == haType && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ifname, protocol, pktType, haType) * 31 + Arrays.hashCode(address);
    }

    /** Python's tuple with the hardware address in hex: {@code ('lo', 2048, 0, 772, 00:00:00:00:00:00)}. */
    @Override
    public String toString() {
        return "('" + ifname + "', " + protocol + ", " + pktType + ", " + haType + ", " + HexFormat.ofDelimiter(":").formatHex(address) + ")";
    }
}
