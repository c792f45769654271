package io.jsock.unix;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.MessageFlags;
import io.jsock.PeerCredentials;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import io.jsock.UnixOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AF_UNIX SOCK_SEQPACKET from the unix provider: boundaries, truncation, end of stream, pairs, credentials, and CPython on the other side. */
class SeqpacketTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private final UnixProvider provider = new UnixProvider();

    @TempDir
    Path dir;

    @Test
    void socketsOpensSeqpacketWithTheUnixProvider() throws Exception {
        assertSame(UnixProvider.class, Sockets.providerFor(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0).getClass());
        try (Socket s = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET)) {
            assertEquals(SocketType.SOCK_SEQPACKET, s.type());
            assertEquals(SocketType.SOCK_SEQPACKET.value(), s.getOption(io.jsock.Sockopt.SOL_SOCKET, io.jsock.Sockopt.SO_TYPE),
                    "SO_TYPE as the kernel reads it");
        }
    }

    @Test
    void eachRecvTakesOneMessageAndCutsALongOne() throws Exception {
        try (SocketPair pair = provider.openPair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET)) {
            pair.first().setTimeout(LIMIT);
            pair.second().setTimeout(LIMIT);
            pair.first().sendAll(bytes("one"));
            pair.first().sendAll(bytes("two-long"));
            pair.first().sendAll(bytes("three"));
            assertArrayEquals(bytes("one"), pair.second().recv(100), "one message, not the next ones");
            assertArrayEquals(bytes("two"), pair.second().recv(3), "the first 3 bytes of a longer message");
            assertArrayEquals(bytes("three"), pair.second().recv(100), "the rest of the cut message is gone");
        }
    }

    @Test
    void recvIntoWithMsgTruncGivesTheRealLength() throws Exception {
        try (SocketPair pair = provider.openPair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET)) {
            pair.second().setTimeout(LIMIT);
            pair.first().sendAll(bytes("0123456789"));
            ByteBuffer heap = ByteBuffer.allocate(4);
            assertEquals(10, pair.second().recvInto(heap, MessageFlags.MSG_TRUNC), "MSG_TRUNC: the message's length");
            assertEquals(4, heap.position(), "only what fits is stored");
            assertArrayEquals(bytes("0123"), heap.array());
            pair.first().sendAll(bytes("abcdefgh"));
            ByteBuffer direct = ByteBuffer.allocateDirect(2);
            assertEquals(8, pair.second().recvInto(direct, MessageFlags.MSG_TRUNC), "the same into a direct buffer");
            assertEquals(2, direct.position());
        }
    }

    @Test
    void emptyMessageAndEndOfStreamBothReadEmpty() throws Exception {
        try (SocketPair pair = provider.openPair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET)) {
            pair.second().setTimeout(LIMIT);
            pair.first().send(new byte[0]);
            pair.first().sendAll(bytes("after"));
            assertEquals(0, pair.second().recv(100).length, "an empty message");
            assertArrayEquals(bytes("after"), pair.second().recv(100), "the message after the empty one still comes");
            pair.second().setBlocking(false);
            SocketError none = assertThrows(SocketError.class, () -> pair.second().recv(100));
            assertEquals(Errno.EAGAIN, none.errno(), "nothing queued, peer open: EAGAIN");
            pair.first().close();
            assertEquals(0, pair.second().recv(100).length, "the peer's close: end of stream, non-blocking too");
            assertEquals(0, pair.second().recv(100).length, "and again");
        }
    }

    @Test
    void listenAcceptAndPeerCredentials() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("seq.sock"));
        try (Socket server = provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
             Socket client = provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0)) {
            server.bind(address);
            server.listen(1);
            server.setTimeout(LIMIT);
            client.connect(address);
            Accepted accepted = server.accept();
            try (Socket conn = accepted.socket()) {
                assertEquals(SocketType.SOCK_SEQPACKET, conn.type());
                assertEquals(UnixAddress.unnamed(), accepted.address(), "an unbound client is unnamed");
                PeerCredentials c = conn.getOption(UnixOptions.SO_PEERCRED);
                assertEquals(ProcessHandle.current().pid(), c.pid(), "SO_PEERCRED: this process");
                client.sendAll(bytes("hello"));
                conn.setTimeout(LIMIT);
                assertArrayEquals(bytes("hello"), conn.recv(100));
            }
        }
    }

    @Test
    void sendAfterThePeerClosedIsEpipe() throws Exception {
        SocketPair pair = provider.openPair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET);
        try (Socket first = pair.first()) {
            pair.second().close();
            SocketError e = assertThrows(SocketError.class, () -> first.send(bytes("x")));
            assertEquals(Errno.EPIPE, e.errno());
        }
    }

    // ---- CPython on the other side ---------------------------------------------------------------

    @Test
    void pythonClientSendsMessagesToJsockServer() throws Exception {
        needsPython();
        UnixAddress address = UnixAddress.of(dir.resolve("py-client.sock"));
        String client = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)",
                "s.settimeout(10)",
                "s.connect(sys.argv[1])",
                "s.send(b'alpha'); s.send(b''); s.send(b'beta-long')",
                "print(s.recv(100), s.recv(2))",
                "s.close()");
        try (Socket server = provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0)) {
            server.bind(address);
            server.listen(1);
            server.setTimeout(LIMIT);
            Process python = new ProcessBuilder("python3", "-c", client, address.toString()).redirectErrorStream(true).start();
            try (Socket conn = server.accept().socket()) {
                conn.setTimeout(LIMIT);
                assertArrayEquals(bytes("alpha"), conn.recv(100), "python's first message");
                assertEquals(0, conn.recv(100).length, "python's empty message");
                assertArrayEquals(bytes("beta"), conn.recv(4), "python's third message, cut at 4");
                conn.sendAll(bytes("reply"));
                conn.sendAll(bytes("cut-me"));
                assertEquals(List.of("b'reply' b'cu'"), finish(python), "what python received");
                assertEquals(0, conn.recv(100).length, "python's close: end of stream");
            } finally {
                python.destroyForcibly();
            }
        }
    }

    @Test
    void jsockClientSendsMessagesToPythonServer() throws Exception {
        needsPython();
        Path path = dir.resolve("py-server.sock");
        String server = String.join("\n",
                "import socket, sys",
                "l = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)",
                "l.bind(sys.argv[1]); l.listen(1); l.settimeout(10)",
                "print('ready', flush=True)",
                "c, addr = l.accept()",
                "c.settimeout(10)",
                "got = [c.recv(100), c.recv(100), c.recv(3)]",
                "c.send(b'py:' + got[0])",
                "print(got, c.recv(100))",
                "c.close()");
        Process python = new ProcessBuilder("python3", "-c", server, path.toString()).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", lines.readLine(), "python server start");
            try (Socket client = provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0)) {
                client.setTimeout(LIMIT);
                client.connect(UnixAddress.of(path));
                client.sendAll(bytes("m1"));
                client.sendAll(bytes("m2"));
                client.sendAll(bytes("m3-long"));
                assertArrayEquals(bytes("py:m1"), client.recv(100), "python's reply");
                client.shutdown(io.jsock.Shutdown.SHUT_WR);
                assertEquals(0, client.recv(100).length, "python's close: end of stream");
            }
            assertTrue(python.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "python server exits");
            assertEquals("[b'm1', b'm2', b'm3-'] b''", lines.readLine(), "python's recv calls: boundaries, the cut, our SHUT_WR as b''");
        } finally {
            python.destroyForcibly();
        }
    }

    private static void needsPython() {
        Cpython.assumeSocketHas("SOCK_SEQPACKET");
    }

    private static List<String> finish(Process python) throws Exception {
        assertTrue(python.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "python exits in time");
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.exitValue(), "python's exit status; it said: " + output);
        return output.lines().toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
