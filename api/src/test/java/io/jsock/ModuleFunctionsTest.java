package io.jsock;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleFunctionsTest {
    private static final AddressFamily V4 = AddressFamily.AF_INET;
    private static final AddressFamily V6 = AddressFamily.AF_INET6;

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void inetPtonTakesDottedQuads() throws SocketError {
        assertArrayEquals(bytes(127, 0, 0, 1), Sockets.inetPton(V4, "127.0.0.1"));
        assertArrayEquals(bytes(255, 255, 255, 255), Sockets.inetPton(V4, "255.255.255.255"));
        assertArrayEquals(bytes(0, 0, 0, 0), Sockets.inetPton(V4, "0.0.0.0"));
    }

    @Test
    void inetPtonRefusesWhatInetAtonWouldTake() {
        for (String bad : List.of("", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "0x1.2.3.4",
                "127.1", "2130706433", " 1.2.3.4", "1.2.3.4 ", "1..2.3", ".1.2.3", "localhost", "1.2.3.4\0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.inetPton(V4, bad), bad);
            assertTrue(e.getMessage().startsWith("text:"), "the message names the argument: " + e.getMessage());
        }
    }

    @Test
    void inetPtonTakesIpv6FormsWithAnIpv4Tail() throws SocketError {
        assertArrayEquals(new byte[16], Sockets.inetPton(V6, "::"));
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), Sockets.inetPton(V6, "::1"));
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4), Sockets.inetPton(V6, "::FFFF:1.2.3.4"));
        assertArrayEquals(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), Sockets.inetPton(V6, "2001:db8::1"));
        assertArrayEquals(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8), Sockets.inetPton(V6, "1:2:3:4:5:6:7:8"));
        assertArrayEquals(bytes(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Sockets.inetPton(V6, "1::"));
    }

    @Test
    void inetPtonRefusesMalformedIpv6() {
        for (String bad : List.of("", ":", ":::", "1:::2", "1::2::3", ":1::", "1:", "12345::", "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7::8", "1:2:3:4:5:6:7", "::ffff:01.2.3.4", "::1.2.3", "1.2.3.4::", "::1.2.3.4:1",
                "fe80::1%eth0", "[::1]", "g::", "1:2:3:4:5:6:7:1.2.3.4")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.inetPton(V6, bad), bad);
            assertTrue(e.getMessage().startsWith("text:"), e.getMessage());
        }
    }

    @Test
    void inetNtopPrintsRfc5952AsGlibc() throws SocketError {
        assertEquals("1.2.3.4", Sockets.inetNtop(V4, bytes(1, 2, 3, 4)));
        assertEquals("::", Sockets.inetNtop(V6, new byte[16]));
        assertEquals("::1", Sockets.inetNtop(V6, Sockets.inetPton(V6, "0:0:0:0:0:0:0:1")));
        assertEquals("::ffff:1.2.3.4", Sockets.inetNtop(V6, Sockets.inetPton(V6, "::ffff:0102:0304")));
        assertEquals("::1.2.3.4", Sockets.inetNtop(V6, Sockets.inetPton(V6, "::0102:0304")));
        assertEquals("::2", Sockets.inetNtop(V6, Sockets.inetPton(V6, "::2")));
        assertEquals("2001:db8::1:0:0:1", Sockets.inetNtop(V6, Sockets.inetPton(V6, "2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", Sockets.inetNtop(V6, Sockets.inetPton(V6, "2001:db8::1:1:1:1:1")));
        assertEquals("1::", Sockets.inetNtop(V6, Sockets.inetPton(V6, "1:0:0:0:0:0:0:0")));
        assertEquals("abcd:ef01::", Sockets.inetNtop(V6, Sockets.inetPton(V6, "ABCD:EF01::")));
    }

    @Test
    void inetNtopRefusesAWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.inetNtop(V4, new byte[16]));
        assertTrue(e.getMessage().startsWith("packed:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sockets.inetNtop(V6, new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> Sockets.inetNtop(V6, new byte[0]));
    }

    @Test
    void anotherFamilyIsEafnosupport() {
        assertEquals(Errno.EAFNOSUPPORT, assertThrows(SocketError.class,
                () -> Sockets.inetPton(AddressFamily.AF_UNIX, "1.2.3.4")).errno());
        assertEquals(Errno.EAFNOSUPPORT, assertThrows(SocketError.class,
                () -> Sockets.inetNtop(AddressFamily.AF_UNIX, new byte[4])).errno());
    }

    @Test
    void loopbackIsListedAndRoundTrips() throws SocketError {
        List<InterfaceName> all = Sockets.ifNameIndex();
        assertFalse(all.isEmpty());
        InterfaceName lo = all.stream().filter(i -> i.name().equals("lo")).findFirst().orElseThrow();
        assertEquals(lo.index(), Sockets.ifNameToIndex("lo"));
        assertEquals("lo", Sockets.ifIndexToName(lo.index()));
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).index() < all.get(i).index(), "lowest index first: " + all);
        }
    }

    @Test
    void unknownInterfaceIsEnodevAndUnknownIndexEnxio() {
        assertEquals(Errno.ENODEV, assertThrows(SocketError.class, () -> Sockets.ifNameToIndex("nope")).errno());
        assertEquals(Errno.ENXIO, assertThrows(SocketError.class, () -> Sockets.ifIndexToName(99999)).errno());
        assertEquals(Errno.ENXIO, assertThrows(SocketError.class, () -> Sockets.ifIndexToName(0)).errno());
    }

    @Test
    void servicesComeFromEtcServices() throws SocketError {
        assertEquals(80, Sockets.getServByName("http", "tcp"));
        assertEquals(80, Sockets.getServByName("www", null), "an alias");
        assertEquals(53, Sockets.getServByName("domain", "udp"));
        assertEquals("http", Sockets.getServByPort(80, "tcp"));
        assertEquals("domain", Sockets.getServByPort(53, null));
    }

    @Test
    void unknownServiceIsEnoentAndABadPortIllegal() {
        assertEquals(Errno.ENOENT, assertThrows(SocketError.class, () -> Sockets.getServByName("nope", null)).errno());
        assertEquals(Errno.ENOENT, assertThrows(SocketError.class, () -> Sockets.getServByName("http", "sctp-nope")).errno());
        assertEquals(Errno.ENOENT, assertThrows(SocketError.class, () -> Sockets.getServByPort(65000, "tcp")).errno());
        assertThrows(IllegalArgumentException.class, () -> Sockets.getServByPort(-1, null));
        assertThrows(IllegalArgumentException.class, () -> Sockets.getServByPort(65536, null));
    }

    @Test
    void nameInfoOfLoopback() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80);
        assertEquals(new NameInfo("127.0.0.1", "80"),
                Sockets.getNameInfo(v4, NameInfo.NI_NUMERICHOST | NameInfo.NI_NUMERICSERV));
        assertEquals(new NameInfo("127.0.0.1", "http"), Sockets.getNameInfo(v4, NameInfo.NI_NUMERICHOST));
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 65000);
        assertEquals(new NameInfo("::1", "65000"), Sockets.getNameInfo(v6, NameInfo.NI_NUMERICHOST), "an unknown port is numeric");
        assertEquals(Errno.EAI_NONAME, assertThrows(SocketError.class,
                () -> Sockets.getNameInfo(v4, NameInfo.NI_NUMERICHOST | NameInfo.NI_NAMEREQD)).errno());
        assertEquals(Errno.EAI_NONAME, assertThrows(SocketError.class,
                () -> Sockets.getNameInfo(InetSocketAddress.createUnresolved("localhost", 80), 0)).errno());
        assertEquals(Errno.EAI_BADFLAGS, assertThrows(SocketError.class, () -> Sockets.getNameInfo(v4, 0x100)).errno());
    }

    @Test
    void fqdnOfAnUnknownNameIsTheName() {
        assertEquals("no-such-host.invalid", Sockets.getFqdn("  no-such-host.invalid "));
        assertFalse(Sockets.getFqdn("").isEmpty());
    }

    @Test
    void protocolNumbersAreLinux() {
        assertEquals(0, Protocols.IPPROTO_IP);
        assertEquals(58, Protocols.IPPROTO_ICMPV6);
        assertEquals(136, Protocols.IPPROTO_UDPLITE);
        assertEquals(262, Protocols.IPPROTO_MPTCP);
    }
}
