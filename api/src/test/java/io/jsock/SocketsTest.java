package io.jsock;

import io.jsock.spi.SocketProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketsTest {

    @AfterEach
    void clear() {
        System.clearProperty(Sockets.PROVIDER_PROPERTY);
        synchronized (FakeProviders.OPENED) {
            FakeProviders.OPENED.clear();
        }
    }

    private static String openedBy(AddressFamily f, SocketType t) {
        SocketError e = assertThrows(SocketError.class, () -> Sockets.socket(f, t));
        assertEquals(Errno.EPERM, e.errno(), "the fake provider's refusal: " + e);
        synchronized (FakeProviders.OPENED) {
            return FakeProviders.OPENED.get(FakeProviders.OPENED.size() - 1);
        }
    }

    @Test
    void providersAreListedBestFirst() {
        List<String> names = Sockets.providers().stream().map(SocketProvider::name).toList();
        assertEquals(List.of("high", "low"), names);
    }

    @Test
    void higherPriorityWinsAmongProvidersOfATriple() {
        assertEquals("high", openedBy(AddressFamily.AF_TIPC, SocketType.SOCK_RDM));
    }

    @Test
    void providerPropertyOverridesPriority() {
        System.setProperty(Sockets.PROVIDER_PROPERTY, "low");
        assertEquals("low", openedBy(AddressFamily.AF_TIPC, SocketType.SOCK_RDM));
    }

    @Test
    void providerPropertyNamingNoProviderIsAClearError() {
        System.setProperty(Sockets.PROVIDER_PROPERTY, "nosuch");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sockets.socket(AddressFamily.AF_TIPC, SocketType.SOCK_RDM));
        assertTrue(e.getMessage().contains("nosuch") && e.getMessage().contains("high") && e.getMessage().contains("low"), e.getMessage());
    }

    @Test
    void providerByNameOrIllegalArgument() {
        assertEquals("low", Sockets.provider("low").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.provider("inet6x"));
        assertTrue(e.getMessage().contains("inet6x"), e.getMessage());
    }

    @Test
    void unknownFamilyIsEafnosupportListingWhatIsInstalled() {
        SocketError e = assertThrows(SocketError.class, () -> Sockets.socket(AddressFamily.AF_PACKET, SocketType.SOCK_RAW));
        assertEquals(Errno.EAFNOSUPPORT, e.errno());
        assertTrue(e.getMessage().contains("high (AF_TIPC SOCK_RDM)"), e.getMessage());
        assertTrue(e.getMessage().contains("low (AF_TIPC SOCK_RDM)"), e.getMessage());
    }

    @Test
    void knownFamilyUnknownTypeIsEsocktnosupport() {
        SocketError e = assertThrows(SocketError.class, () -> Sockets.socket(AddressFamily.AF_TIPC, SocketType.SOCK_STREAM));
        assertEquals(Errno.ESOCKTNOSUPPORT, e.errno(), e.getMessage());
    }

    @Test
    void knownTypeUnknownProtocolIsEprotonosupport() {
        SocketError e = assertThrows(SocketError.class, () -> Sockets.socket(AddressFamily.AF_TIPC, SocketType.SOCK_RDM, 99));
        assertEquals(Errno.EPROTONOSUPPORT, e.errno(), e.getMessage());
    }

    @Test
    void badArgumentsFailBeforeAnyProviderIsAsked() {
        assertThrows(NullPointerException.class, () -> Sockets.socket(null, SocketType.SOCK_STREAM));
        assertThrows(IllegalArgumentException.class, () -> Sockets.socket(AddressFamily.AF_TIPC, SocketType.SOCK_RDM, -1));
        synchronized (FakeProviders.OPENED) {
            assertTrue(FakeProviders.OPENED.isEmpty(), "no provider may be asked: " + FakeProviders.OPENED);
        }
    }

    @Test
    void socketPairOfAFamilyNobodyHasIsEafnosupport() {
        SocketError e = assertThrows(SocketError.class, () -> Sockets.socketPair(AddressFamily.AF_CAN, SocketType.SOCK_DGRAM));
        assertEquals(Errno.EAFNOSUPPORT, e.errno());
    }

    @Test
    void getAddrInfoResolvesNumericHostsPerType() throws SocketError {
        List<AddrInfo> infos = Sockets.getAddrInfo("127.0.0.1", 6254, AddressFamily.AF_UNSPEC, null);
        assertEquals(List.of(SocketType.SOCK_STREAM, SocketType.SOCK_DGRAM, SocketType.SOCK_RAW),
                infos.stream().map(AddrInfo::type).toList(), "getaddrinfo lists stream, datagram and raw, as Linux does");
        AddrInfo tcp = infos.get(0);
        assertEquals(AddressFamily.AF_INET, tcp.family());
        assertEquals(Protocols.IPPROTO_TCP, tcp.proto());
        assertEquals(new InetSocketAddress("127.0.0.1", 6254), tcp.address());
    }

    @Test
    void getAddrInfoOfV6LiteralIsAfInet6() throws SocketError {
        List<AddrInfo> infos = Sockets.getAddrInfo("::1", 80, AddressFamily.AF_INET6, SocketType.SOCK_STREAM);
        assertEquals(1, infos.size());
        assertEquals(AddressFamily.AF_INET6, infos.get(0).family());
    }

    @Test
    void getAddrInfoOfUnknownHostIsEaiNoname() {
        SocketError e = assertThrows(SocketError.class,
                () -> Sockets.getAddrInfo("no-such-host.invalid", 80, AddressFamily.AF_UNSPEC, SocketType.SOCK_STREAM));
        assertEquals(Errno.EAI_NONAME, e.errno());
        assertEquals(-2, e.errno().code());
    }

    @Test
    void getAddrInfoOfAWrongFamilyIsEaiAddrfamily() {
        SocketError e = assertThrows(SocketError.class,
                () -> Sockets.getAddrInfo("127.0.0.1", 80, AddressFamily.AF_INET6, SocketType.SOCK_STREAM));
        assertEquals(Errno.EAI_ADDRFAMILY, e.errno());
    }

    @Test
    void getAddrInfoRejectsPortOutOfRangeAndUnixFamily() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sockets.getAddrInfo("127.0.0.1", 65536, AddressFamily.AF_INET, null));
        assertTrue(e.getMessage().contains("port"), e.getMessage());
        SocketError f = assertThrows(SocketError.class, () -> Sockets.getAddrInfo("x", 0, AddressFamily.AF_UNIX, null));
        assertEquals(Errno.EAI_FAMILY, f.errno());
    }

    @Test
    void hostNameIsTheKernelsName() {
        String name = Sockets.getHostName();
        assertFalse(name.isBlank());
        assertFalse(name.contains("\n"));
    }
}
