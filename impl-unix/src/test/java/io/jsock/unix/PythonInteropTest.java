package io.jsock.unix;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CPython's socket module and jsock talk AF_UNIX to each other, both ways, on paths and abstract names. */
class PythonInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPython() {
        Cpython.assumeSocketHas("AF_UNIX");
    }

    /** A CPython client that connects, sends "ping", prints what comes back and its peer name. */
    private static final String PY_CLIENT = String.join("\n",
            "import socket, sys",
            "a = sys.argv[1]",
            "a = '\\0' + a[1:] if a.startswith('@') else a",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.settimeout(10)",
            "s.connect(a)",
            "s.sendall(b'ping')",
            "s.shutdown(socket.SHUT_WR)",
            "data = b''",
            "while True:",
            "    chunk = s.recv(100)",
            "    if not chunk: break",
            "    data += chunk",
            "print(data.decode())",
            "print(repr(s.getpeername()))");

    @Test
    void pythonClientReachesJsockServerOnPath() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("echo.sock"));
        List<String> out = echoForPython(address, address.toString());
        assertEquals("pong:ping", out.get(0), "what the python client got back");
        assertEquals("'" + address + "'", out.get(1), "python's getpeername of the jsock server");
    }

    @Test
    void pythonClientReachesJsockServerOnAbstractName() throws Exception {
        UnixAddress address = UnixAddress.abstractName("jsock-interop-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        List<String> out = echoForPython(address, address.toString());
        assertEquals("pong:ping", out.get(0), "what the python client got back");
        assertEquals("b'\\x00" + address.name() + "'", out.get(1), "python's getpeername of an abstract jsock server");
    }

    @Test
    void peerCredentialsNameThePythonProcess() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("cred.sock"));
        try (Socket server = Sockets.createServer(address)) {
            server.setTimeout(LIMIT);
            Process python = new ProcessBuilder("python3", "-c", PY_CLIENT, address.toString()).redirectErrorStream(true).start();
            try {
                try (Socket conn = server.accept().socket()) {
                    io.jsock.PeerCredentials c = conn.getOption(io.jsock.UnixOptions.SO_PEERCRED);
                    assertEquals(python.pid(), c.pid(), "SO_PEERCRED pid is the python client's");
                    conn.setTimeout(LIMIT);
                    byte[] got = readAll(conn);
                    conn.sendAll(got);
                }
                finish(python);
            } finally {
                python.destroyForcibly();
            }
        }
    }

    private List<String> echoForPython(UnixAddress address, String argument) throws Exception {
        try (Socket server = Sockets.createServer(address)) {
            server.setTimeout(LIMIT);
            Process python = new ProcessBuilder("python3", "-c", PY_CLIENT, argument).redirectErrorStream(true).start();
            try {
                io.jsock.Accepted accepted = server.accept();
                try (Socket conn = accepted.socket()) {
                    assertEquals(UnixAddress.unnamed(), accepted.address(), "an unbound python client is unnamed");
                    conn.setTimeout(LIMIT);
                    byte[] got = readAll(conn);
                    conn.sendAll(("pong:" + new String(got, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                }
                return finish(python);
            } finally {
                python.destroyForcibly();
            }
        }
    }

    @Test
    void jsockClientReachesPythonServerOnPath() throws Exception {
        Path path = dir.resolve("py.sock");
        String server = String.join("\n",
                "import socket, sys",
                "l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "l.bind(sys.argv[1]); l.listen(1); l.settimeout(10)",
                "print('ready', flush=True)",
                "c, addr = l.accept()",
                "data = c.recv(100)",
                "c.sendall(b'py:' + data)",
                "c.close()",
                "print(repr(addr))");
        Process python = new ProcessBuilder("python3", "-c", server, path.toString()).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", lines.readLine(), "python server start");
            UnixAddress local = UnixAddress.of(dir.resolve("client.sock"));
            try (Socket client = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM)) {
                client.bind(local);
                client.setTimeout(LIMIT);
                client.connect(UnixAddress.of(path));
                client.sendAll("hello".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("py:hello".getBytes(StandardCharsets.US_ASCII), readAll(client), "python's reply");
            }
            assertTrue(python.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "python server exits");
            assertEquals("'" + local + "'", lines.readLine(), "python's accept address is the jsock client's bound path");
        } finally {
            python.destroyForcibly();
        }
    }

    @Test
    void datagramsBetweenPythonAndJsock() throws Exception {
        UnixAddress mine = UnixAddress.of(dir.resolve("jsock.dgram"));
        Path theirs = dir.resolve("py.dgram");
        String peer = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.bind(sys.argv[2]); s.settimeout(10)",
                "s.sendto(b'', sys.argv[1])",
                "s.sendto(b'from-python', sys.argv[1])",
                "data, addr = s.recvfrom(100)",
                "print(data.decode(), repr(addr))");
        try (Socket s = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM)) {
            s.bind(mine);
            s.setTimeout(LIMIT);
            Process python = new ProcessBuilder("python3", "-c", peer, mine.toString(), theirs.toString()).redirectErrorStream(true).start();
            try {
                Datagram empty = s.recvFrom(100);
                assertEquals(0, empty.data().length, "python's empty datagram arrives as one");
                Datagram d = s.recvFrom(100);
                assertArrayEquals("from-python".getBytes(StandardCharsets.US_ASCII), d.data(), "python's datagram");
                assertEquals(UnixAddress.of(theirs), d.address(), "the sender's path");
                s.sendTo("from-jsock".getBytes(StandardCharsets.US_ASCII), d.address());
                assertEquals(List.of("from-jsock '" + mine + "'"), finish(python), "what python received, and from whom");
            } finally {
                python.destroyForcibly();
            }
        }
    }

    private static byte[] readAll(Socket s) throws Exception {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            byte[] chunk = s.recv(4096);
            if (chunk.length == 0) {
                return all.toByteArray();
            }
            all.write(chunk);
        }
        throw new AssertionError("no end of stream after 1000 reads");
    }

    private static List<String> finish(Process python) throws Exception {
        assertTrue(python.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "python exits in time");
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.exitValue(), "python's exit status; it said: " + output);
        return output.lines().toList();
    }
}
