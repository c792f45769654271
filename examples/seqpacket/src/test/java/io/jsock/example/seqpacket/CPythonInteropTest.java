package io.jsock.example.seqpacket;

import io.jsock.AddressFamily;
import io.jsock.PeerCredentials;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.UnixAddress;
import io.jsock.UnixOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CPython's {@code socket.SOCK_SEQPACKET} and this provider on the two ends of one connection: the
 * message boundaries each side sees are the ones the other side sent. Skipped without python3.
 */
class CPythonInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(15);

    /**
     * Serves one connection: reads a count, then that many messages; replies with their lengths as
     * one message, echoes each back reversed (the empty one too), sends a 20-byte message and
     * "after", and closes.
     */
    private static final String SERVER = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)",
            "s.bind(sys.argv[1]); s.listen(1)",
            "print('ready', flush=True)",
            "s.settimeout(15)",
            "c, _ = s.accept(); c.settimeout(15)",
            "n = int(c.recv(100))",
            "got = [c.recv(70000) for _ in range(n)]",
            "c.send(','.join(str(len(m)) for m in got).encode())",
            "for m in got: c.send(m[::-1])",
            "c.send(b'0123456789abcdefghij'); c.send(b'after')",
            "c.close(); s.close()",
            "print('done', flush=True)");

    /**
     * Connects, sends "a", "", "bb" and an 8000-byte message, then prints what each recv(100000) of
     * the server's three replies returned, and its own pid.
     */
    private static final String CLIENT = String.join("\n",
            "import os, socket, sys",
            "c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); c.settimeout(15)",
            "c.connect(sys.argv[1])",
            "for m in (b'a', b'', b'bb', b'z' * 8000): c.send(m)",
            "replies = [c.recv(100000) for _ in range(3)]",
            "print('pid', os.getpid(), flush=True)",
            "print('replies', '|'.join(r.decode() for r in replies), flush=True)",
            "print('eof', repr(c.recv(100)), flush=True)",
            "c.close()");

    private Path dir;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void python() throws Exception {
        assumeTrue(pythonPresent(), "python3 is not on the PATH");
        dir = Files.createTempDirectory("jsock-seqpacket-py");
    }

    @AfterEach
    void clean() throws IOException {
        sockets.forEach(Socket::close);
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void jsockClientAndPythonServerSeeTheSameMessages() throws Exception {
        Path path = dir.resolve("py.sock");
        Process server = python(SERVER, path.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine(), "the python server's first line");
            Socket client = open();
            client.setTimeout(LIMIT);
            client.connect(UnixAddress.of(path));
            byte[] big = new byte[50_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            byte[][] messages = {"alpha".getBytes(), new byte[0], big, "x".getBytes()};
            client.send(String.valueOf(messages.length).getBytes());
            for (byte[] m : messages) {
                client.sendAll(m);
            }
            assertArrayEquals("5,0,50000,1".getBytes(), client.recv(1000), "lengths of the messages as python's recv saw them");
            for (byte[] m : messages) {
                assertArrayEquals(reversed(m), client.recv(100_000), "python's echo of a " + m.length + "-byte message");
            }
            assertArrayEquals("0123".getBytes(), client.recv(4), "recv(4) of python's 20-byte message keeps its first 4 bytes");
            assertArrayEquals("after".getBytes(), client.recv(100), "the message after the truncated one");
            assertEquals(0, client.recv(100).length, "end of stream after python closed");
            assertEquals(0, client.recv(100).length, "end of stream again");
            assertEquals("done", out.readLine(), "the python server's last line");
        } finally {
            finish(server);
        }
    }

    @Test
    void pythonClientAndJsockServerSeeTheSameMessages() throws Exception {
        Path path = dir.resolve("jsock.sock");
        Socket listener = open();
        listener.bind(UnixAddress.of(path));
        listener.listen(1);
        listener.setTimeout(LIMIT);
        Process client = python(CLIENT, path.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            Socket conn = listener.accept().socket();
            sockets.add(conn);
            conn.setTimeout(LIMIT);
            assertArrayEquals("a".getBytes(), conn.recv(100_000), "python's first message");
            assertEquals(0, conn.recv(100_000).length, "python's empty message");
            assertArrayEquals("bb".getBytes(), conn.recv(100_000), "python's message after the empty one");
            assertEquals(8000, conn.recv(100_000).length, "python's 8000-byte message, whole");
            PeerCredentials peer = conn.getOption(UnixOptions.SO_PEERCRED);
            conn.send("one".getBytes());
            conn.send(new byte[0]);
            conn.send("three".getBytes());
            conn.close();
            assertEquals("pid " + peer.pid(), out.readLine(), "SO_PEERCRED's pid is the python client's");
            assertEquals("replies one||three", out.readLine(), "the messages python's recv saw, empty one included");
            assertEquals("eof b''", out.readLine(), "python's recv after jsock closed");
            assertEquals(client.pid(), peer.pid(), "SO_PEERCRED pid");
        } finally {
            finish(client);
        }
    }

    private Socket open() throws Exception {
        Socket s = new SeqpacketProvider().open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
        sockets.add(s);
        return s;
    }

    private static byte[] reversed(byte[] m) {
        byte[] r = new byte[m.length];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[m.length - 1 - i];
        }
        return r;
    }

    private static Process python(String script, String arg) throws IOException {
        return new ProcessBuilder("python3", "-c", script, arg).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void finish(Process p) throws InterruptedException {
        if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python did not end within " + LIMIT.toSeconds() + " s");
        }
        assertEquals(0, p.exitValue(), "python's exit status (its traceback, if any, is on stderr)");
    }

    private static boolean pythonPresent() throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import socket; socket.SOCK_SEQPACKET").start();
        } catch (IOException notFound) {
            return false;
        }
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
