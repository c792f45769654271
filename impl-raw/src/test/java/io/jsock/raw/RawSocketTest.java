package io.jsock.raw;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.PacketAddress;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.Sockopt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the raw provider adds to the TCK's raw group (RawTckTest): the triples Sockets gives it, AF_PACKET's address
 * checks, the errors of SOCK_RAW without a protocol and of SOCK_RDM, and EPERM without CAP_NET_RAW, as CPython's.
 */
class RawSocketTest {
    private final RawProvider provider = new RawProvider();

    /** Bit 13 of CapEff in /proc/self/status. */
    private static boolean hasCapNetRaw() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 13)) != 0;
            }
        }
        return false;
    }

    @Test
    void socketsOpensRawTriplesWithTheRawProvider() throws Exception {
        Assumptions.assumeTrue(hasCapNetRaw(), "This process has no CAP_NET_RAW.");
        assertSame(RawProvider.class, Sockets.providerFor(AddressFamily.AF_INET, SocketType.SOCK_RAW, Protocols.IPPROTO_ICMP).getClass());
        try (Socket s = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_RAW, Protocols.IPPROTO_ICMP)) {
            assertEquals(Protocols.IPPROTO_ICMP, s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_PROTOCOL), "SO_PROTOCOL as the kernel reads it");
            assertEquals(SocketType.SOCK_RAW.value(), s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_TYPE));
        }
    }

    @Test
    void packetSocketTakesOnlyPacketAddresses() throws Exception {
        Assumptions.assumeTrue(hasCapNetRaw(), "This process has no CAP_NET_RAW.");
        try (Socket packet = provider.open(AddressFamily.AF_PACKET, SocketType.SOCK_DGRAM, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> packet.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
            assertTrue(e.getMessage().contains("PacketAddress"), e.getMessage());
            SocketError none = assertThrows(SocketError.class, () -> packet.bind(new PacketAddress("nosuch0", 0, 0, 0, new byte[0])));
            assertEquals(Errno.ENODEV, none.errno(), "no such interface: ENODEV, as CPython's bind(('nosuch0', 0))");
            assertEquals(new PacketAddress("", 0, 0, 0, new byte[0]), packet.getSockName(), "unbound: ('', 0, 0, 0, b'') as in CPython");
        }
    }

    @Test
    void rawWithoutAProtocolIsEprotonosupportAsInCpython() {
        SocketError e = assertThrows(SocketError.class, () -> Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_RAW, 0));
        assertEquals(Errno.EPROTONOSUPPORT, e.errno(), "CPython's socket(AF_INET, SOCK_RAW, 0): [Errno 93]");
        assertTrue(e.getMessage().contains("raw (AF_INET SOCK_RAW, AF_INET6 SOCK_RAW, AF_PACKET SOCK_DGRAM"), e.getMessage());
    }

    @Test
    void rdmNeedsTipcWhichTheKernelLacks() {
        Assumptions.assumeFalse(Files.exists(Path.of("/proc/net/tipc")) || Files.exists(Path.of("/sys/module/tipc")), "This kernel has TIPC.");
        SocketError e = assertThrows(SocketError.class, () -> Sockets.socket(AddressFamily.AF_TIPC, SocketType.SOCK_RDM));
        assertEquals(Errno.EAFNOSUPPORT, e.errno());
        assertTrue(e.getMessage().contains("no TIPC support"), e.getMessage());
    }

    @Test
    void withoutCapNetRawSocketIsEpermNamingTheCapability() throws Exception {
        Assumptions.assumeTrue(setprivPresent(), "setpriv(1), which drops CAP_NET_RAW for the child, is not installed.");
        List<String> jsock = withoutCapNetRaw(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), NoCapNetRaw.class.getName()));
        List<String> cpython = withoutCapNetRaw(List.of("python3", "-c", String.join("\n",
                "import socket",
                "for f, t, p in ((socket.AF_INET, socket.SOCK_RAW, 1), (socket.AF_INET6, socket.SOCK_RAW, 58), (socket.AF_PACKET, socket.SOCK_DGRAM, 768)):",
                "    try: socket.socket(f, t, p); print('opened')",
                "    except OSError as e: print(e.errno)")));
        assertEquals(List.of("1", "1", "1"), cpython, "CPython without CAP_NET_RAW: EPERM");
        assertEquals(3, jsock.size(), "one line per socket: " + jsock);
        for (String line : jsock) {
            assertTrue(line.startsWith("1 "), "EPERM, as CPython: " + line);
            assertTrue(line.contains("CAP_NET_RAW"), "the message names the capability: " + line);
        }
    }

    /** The child of {@link #withoutCapNetRawSocketIsEpermNamingTheCapability}: one line per socket, errno and message. */
    static final class NoCapNetRaw {
        public static void main(String[] args) {
            Object[][] triples = {{AddressFamily.AF_INET, SocketType.SOCK_RAW, 1}, {AddressFamily.AF_INET6, SocketType.SOCK_RAW, 58},
                {AddressFamily.AF_PACKET, SocketType.SOCK_DGRAM, 768}};
            for (Object[] t : triples) {
                try (Socket s = Sockets.socket((AddressFamily) t[0], (SocketType) t[1], (Integer) t[2])) {
                    System.out.println("opened " + s);
                } catch (SocketError e) {
                    System.out.println(e.errno().code() + " " + e.getMessage());
                }
            }
        }
    }

    private static boolean setprivPresent() {
        try {
            Process p = new ProcessBuilder("setpriv", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} with CAP_NET_RAW out of its bounding and inheritable sets (setpriv(1)), so
     * that neither root nor a file capability gives it back at exec; returns its output lines.
     */
    private static List<String> withoutCapNetRaw(List<String> command) throws Exception {
        List<String> all = new ArrayList<>(List.of("setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw"));
        all.addAll(command);
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child ends");
            assertEquals(0, p.exitValue(), "the child's exit status; it said: " + out);
            return out.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING")).toList();
        } finally {
            p.destroyForcibly();
        }
    }
}
