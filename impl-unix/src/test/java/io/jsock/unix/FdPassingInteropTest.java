package io.jsock.unix;

import io.jsock.AddressFamily;
import io.jsock.FdMessage;
import io.jsock.MessageFlags;
import io.jsock.Socket;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Descriptors passed (SCM_RIGHTS) between jsock's sendFds/recvFds and CPython's socket.send_fds/recv_fds, both ways. */
class FdPassingInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPython() {
        Cpython.assumeSocketHas("send_fds");
    }

    @Test
    void cpythonRecvFdsGetsTheSocketJsockSent() throws Exception {
        String client = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.settimeout(10)",
                "s.connect(sys.argv[1])",
                "msg, fds, flags, addr = socket.recv_fds(s, 100, 4)",
                "print(msg.decode(), len(fds), flags)",
                "passed = socket.socket(fileno=fds[0])",
                "passed.sendall(b'python wrote through the passed socket')",
                "passed.close()");
        UnixAddress address = UnixAddress.of(dir.resolve("fds.sock"));
        try (Socket server = Sockets.createServer(address);
             SocketPair pair = Sockets.socketPair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM)) {
            server.setTimeout(LIMIT);
            Process python = new ProcessBuilder("python3", "-c", client, address.toString()).start();
            try (Socket conn = server.accept().socket()) {
                int sent = Sockets.sendFds(conn, List.of(ByteBuffer.wrap(ascii("here"))), new int[] {pair.first().fileno()}, 0, null);
                assertEquals(4, sent, "sendFds's count");
                pair.first().close(); // python holds the only other descriptor of this end now
                pair.second().setTimeout(LIMIT);
                assertArrayEquals(ascii("python wrote through the passed socket"), readAll(pair.second()),
                        "what python sent through the socket jsock passed it");
                assertEquals(List.of("here 1 0"), finish(python), "python's recv_fds: the bytes, how many descriptors, the flags");
            } finally {
                python.destroyForcibly();
            }
        }
    }

    @Test
    void jsockRecvFdsGetsThePipeCpythonSent() throws Exception {
        String client = String.join("\n",
                "import os, socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.settimeout(10)",
                "s.connect(sys.argv[1])",
                "r, w = os.pipe()",
                "os.write(w, b'through the python pipe')",
                "os.close(w)",
                "socket.send_fds(s, [b'pipe'], [r, r])",
                "os.close(r)",
                "s.recv(1)");
        UnixAddress address = UnixAddress.of(dir.resolve("pipe.sock"));
        try (Socket server = Sockets.createServer(address)) {
            server.setTimeout(LIMIT);
            Process python = new ProcessBuilder("python3", "-c", client, address.toString()).start();
            try (Socket conn = server.accept().socket()) {
                conn.setTimeout(LIMIT);
                int start = openDescriptors();
                FdMessage m = Sockets.recvFds(conn, 100, 1, 0);
                assertArrayEquals(ascii("pipe"), m.data(), "the bytes python's send_fds sent");
                assertEquals(1, m.fds().length, "descriptors received of the two python sent, with room for one");
                assertEquals(MessageFlags.MSG_CTRUNC, m.flags() & MessageFlags.MSG_CTRUNC, "MSG_CTRUNC for the one that did not fit");
                int fd = m.fds()[0];
                assertEquals(start + 1, openDescriptors(), "descriptors this process gained: the one received, no other");
                assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("pipe:"),
                        "the received descriptor is a pipe");
                assertArrayEquals(ascii("through the python pipe"), Files.readAllBytes(Path.of("/proc/self/fd/" + fd)),
                        "what the pipe python passed holds");
                Sockets.closeFd(fd);
                assertEquals(start, openDescriptors(), "descriptors after closing the received one");
                conn.sendAll(new byte[] {1});
                finish(python);
            } finally {
                python.destroyForcibly();
            }
        }
    }

    private static int openDescriptors() throws IOException {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return (int) list.count() - 1; // the listing's own
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
        String errors = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.exitValue(), "python's exit status; it said: " + output + errors);
        return output.lines().toList();
    }
}
