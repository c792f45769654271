package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.SocketType;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FAMILY, TYPE and ADDRESS as the command line writes them. */
class EndpointsTest {

    @Test
    void familiesAreCaseInsensitiveWithAnOptionalPrefix() throws Exception {
        assertEquals(AddressFamily.AF_INET, Endpoints.family("AF_INET"));
        assertEquals(AddressFamily.AF_INET, Endpoints.family("inet"));
        assertEquals(AddressFamily.AF_INET6, Endpoints.family("af_inet6"));
        assertEquals(AddressFamily.AF_INET6, Endpoints.family("Inet6"));
        assertEquals(AddressFamily.AF_UNIX, Endpoints.family("unix"));
        assertThrows(UsageError.class, () -> Endpoints.family("AF_PACKET"));
        assertThrows(UsageError.class, () -> Endpoints.family(""));
    }

    @Test
    void typesAreCaseInsensitiveWithAnOptionalPrefix() throws Exception {
        assertEquals(SocketType.SOCK_STREAM, Endpoints.type("SOCK_STREAM"));
        assertEquals(SocketType.SOCK_STREAM, Endpoints.type("stream"));
        assertEquals(SocketType.SOCK_DGRAM, Endpoints.type("sock_dgram"));
        assertEquals(SocketType.SOCK_DGRAM, Endpoints.type("Dgram"));
        assertEquals(SocketType.SOCK_SEQPACKET, Endpoints.type("seqpacket"), "every type is accepted; socket() says if none offers it");
        assertEquals(SocketType.SOCK_RAW, Endpoints.type("SOCK_RAW"));
        assertThrows(UsageError.class, () -> Endpoints.type("SOCK_PACKET"));
    }

    @Test
    void inetLiteralsParseWithoutALookup() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6254), Endpoints.address(AddressFamily.AF_INET, "127.0.0.1:6254"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 0), Endpoints.address(AddressFamily.AF_INET6, "[::1]:0"));
        SocketAddress mapped = Endpoints.address(AddressFamily.AF_INET6, "[::ffff:127.0.0.1]:80");
        assertTrue(mapped instanceof InetSocketAddress i && i.getAddress() instanceof java.net.Inet6Address && i.getPort() == 80,
                "a v4-mapped address stays IPv6 for an AF_INET6 socket: " + mapped);
    }

    @Test
    void aScopeIsAnInterfaceNameOrNumber() throws Exception {
        SocketAddress named = Endpoints.address(AddressFamily.AF_INET6, "[fe80::1%lo]:80");
        java.net.Inet6Address a = (java.net.Inet6Address) ((InetSocketAddress) named).getAddress();
        assertEquals(java.net.NetworkInterface.getByName("lo").getIndex(), a.getScopeId(), "lo's index");
        assertEquals("[fe80::1%lo]:80", Endpoints.format(named), "written back with the interface's name");
        SocketAddress numbered = Endpoints.address(AddressFamily.AF_INET6, "[fe80::1%7]:80");
        assertEquals(7, ((java.net.Inet6Address) ((InetSocketAddress) numbered).getAddress()).getScopeId());
    }

    @Test
    void anEmptyHostIsTheWildcard() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080), Endpoints.address(AddressFamily.AF_INET, ":8080"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::"), 8080), Endpoints.address(AddressFamily.AF_INET6, ":8080"));
    }

    @Test
    void aHostNameStaysUnresolvedUntilResolve() throws Exception {
        SocketAddress a = Endpoints.address(AddressFamily.AF_INET, "localhost:7");
        assertTrue(a instanceof InetSocketAddress i && i.isUnresolved() && i.getHostString().equals("localhost") && i.getPort() == 7, a.toString());
        SocketAddress resolved = Endpoints.resolve(a, AddressFamily.AF_INET, SocketType.SOCK_STREAM);
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7), resolved);
    }

    @Test
    void unixPathsAndAbstractNames() throws Exception {
        assertEquals(UnixAddress.of("/tmp/jsock.sock"), Endpoints.address(AddressFamily.AF_UNIX, "/tmp/jsock.sock"));
        assertEquals(UnixAddress.of("relative.sock"), Endpoints.address(AddressFamily.AF_UNIX, "relative.sock"));
        assertEquals(UnixAddress.abstractName("jsock"), Endpoints.address(AddressFamily.AF_UNIX, "@jsock"));
        UsageError tooLong = assertThrows(UsageError.class, () -> Endpoints.address(AddressFamily.AF_UNIX, "/" + "a".repeat(107)));
        assertTrue(tooLong.getMessage().contains("107 bytes"), tooLong.getMessage());
        assertThrows(UsageError.class, () -> Endpoints.address(AddressFamily.AF_UNIX, ""));
    }

    @Test
    void ipv6IsWrittenAsPythonWritesIt() throws Exception {
        String[][] cases = {{"::1", "::1"}, {"::", "::"}, {"0:0:0:0:0:0:0:1", "::1"}, {"fe80:0:0:0:0:0:0:1", "fe80::1"},
                {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
                {"1:0:0:2:0:0:0:3", "1:0:0:2::3"}, {"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"}, {"0:0:1:0:0:0:0:0", "0:0:1::"}};
        for (String[] c : cases) {
            assertEquals("[" + c[1] + "]:80", Endpoints.format(new InetSocketAddress(InetAddress.getByName(c[0]), 80)), c[0]);
        }
    }

    @Test
    void formatWritesWhatTheParserReads() throws Exception {
        String[][] cases = {{"AF_INET", "127.0.0.1:6254"}, {"AF_INET6", "[::1]:6254"}, {"AF_INET6", "[::ffff:127.0.0.1]:1"}, {"AF_UNIX", "/tmp/x.sock"}, {"AF_UNIX", "@name"}};
        for (String[] c : cases) {
            AddressFamily f = Endpoints.family(c[0]);
            assertEquals(c[1], Endpoints.format(Endpoints.address(f, c[1])), c[0] + " " + c[1]);
        }
    }
}
