package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Protocols;
import io.jsock.SocketType;
import io.jsock.Sockets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code jsock echo} and {@code jsock cat} with CPython's socket module on the other end, bytes exact. */
class EndToEndTest {

    /**
     * Client of a stream echo server: connection A connects and waits; connection B does a whole
     * exchange meanwhile (so the server serves connections at once); then A sends 300 000 bytes,
     * SHUT_WR, and must get exactly them back before the end of stream.
     */
    private static final String STREAM_CLIENT = String.join("\n",
            "family = family_of(sys.argv[1]); address = address_of(family, sys.argv[2])",
            "def connect():",
            "    s = socket.socket(family, socket.SOCK_STREAM); s.settimeout(20); s.connect(address); return s",
            "def exchange(s, payload):",
            "    def send():",
            "        s.sendall(payload); s.shutdown(socket.SHUT_WR)",
            "    t = threading.Thread(target=send); t.start()",
            "    got = bytearray()",
            "    while True:",
            "        d = s.recv(65536)",
            "        if not d: break",
            "        got += d",
            "    t.join(20); s.close()",
            "    return bytes(got)",
            "a = connect()",
            "b = connect()",
            "assert exchange(b, b'concurrent\\n') == b'concurrent\\n', 'second connection served while the first is open'",
            "payload = bytes((i * 31 + i // 7) % 256 for i in range(300000))",
            "got = exchange(a, payload)",
            "assert got == payload, 'echoed %d bytes of %d, equal prefix: %s' % (len(got), len(payload), got == payload[:len(got)])",
            "print('ok', len(got))");

    /** A stream echo server for one connection; prints its address first. */
    private static final String STREAM_SERVER = String.join("\n",
            "family = family_of(sys.argv[1])",
            "s = socket.socket(family, socket.SOCK_STREAM); s.bind(address_of(family, sys.argv[2])); s.listen(1)",
            "print(text_of(family, s.getsockname()), flush=True)",
            "s.settimeout(20); c, _ = s.accept(); c.settimeout(20)",
            "while True:",
            "    d = c.recv(65536)",
            "    if not d: break",
            "    c.sendall(d)",
            "c.close()");

    /** Client of a datagram echo server: each datagram, the empty one included, comes back whole. */
    private static final String DATAGRAM_CLIENT = String.join("\n",
            "family = family_of(sys.argv[1]); address = address_of(family, sys.argv[2])",
            "s = socket.socket(family, socket.SOCK_DGRAM); s.settimeout(10)",
            "if family == socket.AF_UNIX: s.bind(sys.argv[3])",
            "for msg in [b'one', b'', b'two\\n', bytes(range(256)) * 200]:",
            "    s.sendto(msg, address)",
            "    d, a = s.recvfrom(65536)",
            "    assert d == msg, 'sent %d bytes, got %d back' % (len(msg), len(d))",
            "print('ok')");

    /** A datagram echo server; prints its address first; runs until killed. */
    private static final String DATAGRAM_SERVER = String.join("\n",
            "family = family_of(sys.argv[1])",
            "s = socket.socket(family, socket.SOCK_DGRAM); s.bind(address_of(family, sys.argv[2]))",
            "print(text_of(family, s.getsockname()), flush=True)",
            "s.settimeout(60)",
            "while True:",
            "    d, a = s.recvfrom(65536)",
            "    s.sendto(d, a)");

    @TempDir
    Path dir;

    @BeforeAll
    static void python() {
        Python.assumeInstalled();
    }

    static void assumeSupported(AddressFamily family, SocketType type) {
        boolean supported = Sockets.providers().stream().anyMatch(p -> p.supports(family, type, Protocols.DEFAULT));
        Assumptions.assumeTrue(supported, "no installed provider supports " + family + " " + type
                + " yet (installed: " + Sockets.providers().stream().map(p -> p.name()).toList() + ")");
    }

    static void assumeIpv6Loopback() {
        boolean ok;
        try (java.nio.channels.ServerSocketChannel c = java.nio.channels.ServerSocketChannel.open()) {
            c.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            ok = true;
        } catch (java.io.IOException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "this host has no IPv6 loopback ::1");
    }

    // ---- echo ----------------------------------------------------------------------------

    private void streamEcho(String family, String address) throws Exception {
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", family, "SOCK_STREAM", address)) {
            String bound = echo.awaitListening();
            if (address.endsWith(":0")) {
                assertFalse(bound.endsWith(":0"), "the printed address has the real port: " + bound);
            }
            assertEquals("ok 300000\n", Python.run(STREAM_CLIENT, family, bound));
        }
    }

    @Test
    void echoServesACPythonClientOverTcpV4() throws Exception {
        streamEcho("AF_INET", "127.0.0.1:0");
    }

    @Test
    void echoServesACPythonClientOverTcpV6() throws Exception {
        assumeIpv6Loopback();
        streamEcho("AF_INET6", "[::1]:0");
    }

    @Test
    void echoServesACPythonClientOverAUnixSocketFile() throws Exception {
        assumeSupported(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
        Path socket = dir.resolve("echo.sock");
        streamEcho("AF_UNIX", socket.toString());
        assertFalse(Files.exists(socket), "echo removes its socket file when it stops");
    }

    @Test
    void echoServesACPythonClientOverAnAbstractName() throws Exception {
        assumeSupported(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
        streamEcho("AF_UNIX", "@jsock-cli-test-" + UUID.randomUUID());
    }

    @Test
    void echoSendsEachDatagramBackToItsSenderOverUdp() throws Exception {
        assumeSupported(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "inet", "dgram", "127.0.0.1:0")) {
            String bound = echo.awaitListening();
            assertEquals("ok\n", Python.run(DATAGRAM_CLIENT, "AF_INET", bound));
        }
    }

    @Test
    void echoSendsEachDatagramBackToItsSenderOverUnixDatagrams() throws Exception {
        assumeSupported(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "unix", "dgram", dir.resolve("d.sock").toString())) {
            String bound = echo.awaitListening();
            assertEquals("ok\n", Python.run(DATAGRAM_CLIENT, "AF_UNIX", bound, dir.resolve("client.sock").toString()));
        }
    }

    // ---- cat -----------------------------------------------------------------------------

    private void streamCat(String family, String serverAddress) throws Exception {
        Process server = Python.start(STREAM_SERVER, family, serverAddress);
        try {
            String address = Python.firstLine(server);
            byte[] payload = new byte[200_000];
            new Random(6254).nextBytes(payload);
            Running cat = Running.start(new ByteArrayInputStream(payload), "cat", family, "SOCK_STREAM", address);
            assertEquals(0, cat.awaitExit(), "cat's exit status; stderr: " + cat.err.text());
            assertArrayEquals(payload, cat.out.bytes(), "what cat wrote to stdout is what it sent, echoed");
            assertEquals("", cat.err.text());
        } finally {
            server.destroyForcibly();
        }
    }

    /** A server that greets and closes at once, without reading. */
    private static final String GREETER = String.join("\n",
            "family = family_of(sys.argv[1])",
            "s = socket.socket(family, socket.SOCK_STREAM); s.bind(address_of(family, sys.argv[2])); s.listen(1)",
            "print(text_of(family, s.getsockname()), flush=True)",
            "s.settimeout(20); c, _ = s.accept()",
            "c.sendall(b'hello from python\\n'); c.close()");

    @Test
    void catExitsWhenThePeerEndsTheStreamThoughStdinIsStillOpen() throws Exception {
        Process server = Python.start(GREETER, "AF_INET", "127.0.0.1:0");
        try (java.io.PipedOutputStream never = new java.io.PipedOutputStream();
             java.io.PipedInputStream stdin = new java.io.PipedInputStream(never)) {
            String address = Python.firstLine(server);
            Running cat = Running.start(stdin, "cat", "AF_INET", "SOCK_STREAM", address);
            assertEquals(0, cat.awaitExit(), "cat's exit status; stderr: " + cat.err.text());
            assertEquals("hello from python\n", cat.out.text());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void catSendsStdinToACPythonEchoServerAndWritesTheReplyOverTcpV4() throws Exception {
        streamCat("AF_INET", "127.0.0.1:0");
    }

    @Test
    void catSendsStdinToACPythonEchoServerAndWritesTheReplyOverTcpV6() throws Exception {
        assumeIpv6Loopback();
        streamCat("AF_INET6", "[::1]:0");
    }

    @Test
    void catSendsStdinToACPythonEchoServerOverAUnixSocketFile() throws Exception {
        assumeSupported(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
        streamCat("AF_UNIX", dir.resolve("py.sock").toString());
    }

    private void datagramCat(String family, String serverAddress) throws Exception {
        Process server = Python.start(DATAGRAM_SERVER, family, serverAddress);
        try {
            String address = Python.firstLine(server);
            String input = "alpha\nbeta\n\ngamma";
            long t0 = System.nanoTime();
            Running cat = Running.start(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    "cat", "--wait", "0.5", family, "SOCK_DGRAM", address);
            assertEquals(0, cat.awaitExit(), "cat's exit status; stderr: " + cat.err.text());
            long waited = (System.nanoTime() - t0) / 1_000_000;
            // four datagrams, "alpha\n", "beta\n", "\n" and "gamma", echoed in order on loopback
            assertEquals(input, cat.out.text());
            assertEquals("", cat.err.text());
            assertEquals(true, waited >= 500, "cat waits --wait 0.5 s for late datagrams, waited " + waited + " ms");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void catSendsEachLineAsADatagramOverUdp() throws Exception {
        assumeSupported(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
        datagramCat("AF_INET", "127.0.0.1:0");
    }

    @Test
    void catSendsEachLineAsADatagramOverUnixDatagrams() throws Exception {
        assumeSupported(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
        datagramCat("AF_UNIX", dir.resolve("pyd.sock").toString());
    }
}
