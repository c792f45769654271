package io.jsock.core;

import io.jsock.PacketAddress;
import io.jsock.UnixAddress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** The sockaddr codecs: {@code sockaddr_in}, {@code sockaddr_in6}, {@code sockaddr_un} and {@code sockaddr_ll}, each laid out from its fields' sizes. */
final class SockAddr {
    /** sizeof(struct sockaddr_storage). */
    static final int STORAGE = 128;

    /** struct sockaddr_in { sa_family_t; in_port_t (network order); struct in_addr; char zero[8]; }. */
    static final class In {
        static final int FAMILY = 0;
        static final int PORT = FAMILY + 2;
        static final int ADDR = PORT + 2;
        static final int SIZE = ADDR + 4 + 8;
    }

    /** struct sockaddr_in6 { sa_family_t; in_port_t; uint32_t flowinfo; struct in6_addr; uint32_t scope_id; }. */
    static final class In6 {
        static final int FAMILY = 0;
        static final int PORT = FAMILY + 2;
        static final int FLOWINFO = PORT + 2;
        static final int ADDR = FLOWINFO + 4;
        static final int SCOPE_ID = ADDR + 16;
        static final int SIZE = SCOPE_ID + 4;
    }

    /** struct sockaddr_un { sa_family_t; char sun_path[108]; }. */
    static final class Un {
        static final int FAMILY = 0;
        static final int PATH = FAMILY + 2;
        static final int SIZE = PATH + 108;
    }

    /**
     * struct sockaddr_ll { unsigned short family; __be16 protocol; int ifindex; unsigned short hatype;
     * unsigned char pkttype; unsigned char halen; unsigned char addr[8]; }.
     */
    static final class Ll {
        static final int FAMILY = 0;
        static final int PROTOCOL = FAMILY + 2;
        static final int IFINDEX = PROTOCOL + 2;
        static final int HATYPE = IFINDEX + 4;
        static final int PKTTYPE = HATYPE + 2;
        static final int HALEN = PKTTYPE + 1;
        static final int ADDR = HALEN + 1;
        static final int SIZE = ADDR + PacketAddress.MAX_ADDRESS;
    }

    /** A {@link PacketAddress} with its interface's index, looked up once by the socket's address check. */
    static final class Packet extends SocketAddress {
        private static final long serialVersionUID = 1L;
        final transient PacketAddress address;
        final int ifindex;

        Packet(PacketAddress address, int ifindex) {
            this.address = address;
            this.ifindex = ifindex;
        }

        @Override
        public String toString() {
            return String.valueOf(address);
        }
    }

    private SockAddr() {
    }

    /** Writes {@code address} at {@code offset} and returns its length; an unnamed AF_UNIX address asks bind(2) to autobind. */
    static int encode(SocketAddress address, Mem mem, int offset) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            if (ip instanceof Inet4Address) {
                mem.putShort(offset + In.FAMILY, (short) Linux.AF_INET);
                mem.putPort(offset + In.PORT, inet.getPort());
                byte[] a = ip.getAddress();
                mem.put(offset + In.ADDR, a, 0, 4);
                mem.putLong(offset + In.ADDR + 4, 0);
                return In.SIZE;
            }
            Inet6Address v6 = (Inet6Address) ip;
            mem.putShort(offset + In6.FAMILY, (short) Linux.AF_INET6);
            mem.putPort(offset + In6.PORT, inet.getPort());
            mem.putInt(offset + In6.FLOWINFO, 0);
            mem.put(offset + In6.ADDR, v6.getAddress(), 0, 16);
            mem.putInt(offset + In6.SCOPE_ID, v6.getScopeId());
            return In6.SIZE;
        }
        if (address instanceof Packet packet) {
            PacketAddress p = packet.address;
            byte[] hw = p.address();
            mem.putShort(offset + Ll.FAMILY, (short) Linux.AF_PACKET);
            mem.putPort(offset + Ll.PROTOCOL, p.protocol()); // network order, as a port
            mem.putInt(offset + Ll.IFINDEX, packet.ifindex);
            mem.putShort(offset + Ll.HATYPE, (short) p.haType());
            mem.putByte(offset + Ll.PKTTYPE, (byte) p.pktType());
            mem.putByte(offset + Ll.HALEN, (byte) hw.length);
            mem.putLong(offset + Ll.ADDR, 0);
            mem.put(offset + Ll.ADDR, hw, 0, hw.length);
            return Ll.SIZE;
        }
        UnixAddress unix = (UnixAddress) address;
        mem.putShort(offset + Un.FAMILY, (short) Linux.AF_UNIX);
        if (unix.isUnnamed()) {
            return Un.PATH;
        }
        byte[] path = unix.sunPath();
        mem.put(offset + Un.PATH, path, 0, path.length);
        if (unix.isAbstract()) {
            return Un.PATH + path.length; // abstract names are counted, not terminated
        }
        mem.putByte(offset + Un.PATH + path.length, (byte) 0);
        return Un.PATH + path.length + 1;
    }

    /**
     * Reads the sockaddr the kernel wrote, as CPython does: no address at all (length 0, as from a
     * connected stream) is {@code null}; an AF_UNIX family alone is the unnamed address.
     */
    static SocketAddress decode(Mem mem, int offset, int length) {
        if (length < 2) {
            return null;
        }
        int family = mem.getShort(offset) & 0xffff;
        switch (family) {
            case Linux.AF_INET: {
                byte[] a = new byte[4];
                mem.get(offset + In.ADDR, a, 0, 4);
                return new InetSocketAddress(inet4(a), mem.getPort(offset + In.PORT));
            }
            case Linux.AF_INET6: {
                byte[] a = new byte[16];
                mem.get(offset + In6.ADDR, a, 0, 16);
                return new InetSocketAddress(inet6(a, mem.getInt(offset + In6.SCOPE_ID)), mem.getPort(offset + In6.PORT));
            }
            case Linux.AF_UNIX:
                return unix(mem, offset, length);
            case Linux.AF_PACKET:
                return packet(mem, offset);
            default:
                throw new IllegalStateException("the kernel wrote a sockaddr of family " + family);
        }
    }

    /** As CPython's makesockaddr: the interface's name for the index, the protocol in host order, {@code halen} bytes of address. */
    private static PacketAddress packet(Mem mem, int offset) {
        int index = mem.getInt(offset + Ll.IFINDEX);
        int halen = Math.min(mem.getByte(offset + Ll.HALEN) & 0xff, PacketAddress.MAX_ADDRESS);
        byte[] hw = new byte[halen];
        mem.get(offset + Ll.ADDR, hw, 0, halen);
        return new PacketAddress(interfaceName(index), mem.getPort(offset + Ll.PROTOCOL), mem.getByte(offset + Ll.PKTTYPE) & 0xff,
                mem.getShort(offset + Ll.HATYPE) & 0xffff, hw);
    }

    /** if_indextoname(3) through the JDK, which reads the same kernel table; no interface (index 0, or one gone) is {@code ""}, as in CPython. */
    static String interfaceName(int index) {
        try {
            NetworkInterface nif = index > 0 ? NetworkInterface.getByIndex(index) : null;
            return nif != null ? nif.getName() : "";
        } catch (java.net.SocketException e) {
            return "";
        }
    }

    private static UnixAddress unix(Mem mem, int offset, int length) {
        int n = Math.min(length, Un.SIZE) - Un.PATH;
        if (n <= 0) {
            return UnixAddress.unnamed();
        }
        byte[] raw = new byte[n];
        mem.get(offset + Un.PATH, raw, 0, n);
        if (raw[0] == 0) {
            return UnixAddress.abstractName(new String(raw, 1, n - 1, StandardCharsets.UTF_8));
        }
        int end = 0;
        while (end < n && raw[end] != 0) {
            end++;
        }
        return UnixAddress.of(new String(raw, 0, end, StandardCharsets.UTF_8));
    }

    private static InetAddress inet4(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 bytes are an IPv4 address", impossible);
        }
    }

    /** An IPv6 address, kept IPv6 when v4-mapped (::ffff:a.b.c.d), as an AF_INET6 socket names it. */
    private static Inet6Address inet6(byte[] a, int scope) {
        try {
            return scope == 0 ? Inet6Address.getByAddress(null, a, (NetworkInterface) null) : Inet6Address.getByAddress(null, a, scope);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes are an IPv6 address", impossible);
        }
    }

    /**
     * The last sender decoded on one socket's read side, by its raw bytes: a datagram from the
     * same peer as the last one costs no new address object.
     */
    static final class Cache {
        private final byte[] raw = new byte[STORAGE];
        private int length = -1;
        private SocketAddress value;

        SocketAddress decode(Mem mem, int offset, int n) {
            if (n == length && matches(mem, offset, n)) {
                return value;
            }
            SocketAddress decoded = SockAddr.decode(mem, offset, n);
            int keep = Math.min(n, STORAGE);
            mem.get(offset, raw, 0, keep);
            length = keep == n ? n : -1;
            value = decoded;
            return decoded;
        }

        private boolean matches(Mem mem, int offset, int n) {
            for (int i = 0; i < n; i++) {
                if (mem.getByte(offset + i) != raw[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The last destination encoded on one socket's write side, as the JDK's DatagramChannelImpl
     * keeps its previous target: a sendto(2) to the same address object again copies the sockaddr
     * it made last time and builds nothing (an address is immutable, so the same object is the
     * same sockaddr; equals() is not enough: Inet6Address's ignores the scope id).
     */
    static final class Encoded {
        private final byte[] raw = new byte[STORAGE];
        private int length;
        private SocketAddress address;

        int encode(SocketAddress to, Mem mem, int offset) {
            if (to != address) {
                length = SockAddr.encode(to, mem, offset);
                mem.get(offset, raw, 0, length);
                address = to;
                return length;
            }
            mem.put(offset, raw, 0, length);
            return length;
        }
    }
}
