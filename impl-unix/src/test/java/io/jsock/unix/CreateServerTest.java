package io.jsock.unix;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sockets.createServer on AF_UNIX paths: a stale socket file is replaced, nothing else is touched. */
class CreateServerTest {
    @TempDir
    Path dir;

    @Test
    void createServerReplacesStaleSocketFile() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("stale.sock"));
        Socket old = Sockets.createServer(address);
        old.close();
        assertTrue(Files.exists(address.path()), "close leaves the socket file");
        try (Socket server = Sockets.createServer(address);
             Socket client = Sockets.createConnection(address, Duration.ofSeconds(5))) {
            Socket accepted = server.accept().socket();
            try (accepted) {
                client.sendAll(new byte[] {42});
                accepted.setTimeout(Duration.ofSeconds(5));
                assertArrayEquals(new byte[] {42}, accepted.recv(4), "the new server gets the connection");
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the client is only held open, for accept to return it
    void createServerRefusesLiveSocketAndLeavesItServing() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("live.sock"));
        try (Socket live = Sockets.createServer(address)) {
            SocketError e = assertThrows(SocketError.class, () -> Sockets.createServer(address), "createServer over a live server");
            assertEquals(Errno.EADDRINUSE, e.errno(), "errno over a live server: " + e);
            try (Socket client = Sockets.createConnection(address, Duration.ofSeconds(5));
                 Socket accepted = live.accept().socket()) {
                assertEquals(UnixAddress.unnamed(), accepted.getPeerName(), "the live server still accepts");
            }
        }
    }

    @Test
    void createServerRefusesLiveSocketWithFullBacklog() throws Exception {
        UnixAddress address = UnixAddress.of(dir.resolve("busy.sock"));
        try (Socket live = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
             Socket first = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
             Socket second = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM)) {
            live.bind(address);
            live.listen(0);
            first.connect(address);
            second.setBlocking(false);
            SocketError full = assertThrows(SocketError.class, () -> second.connect(address), "connect to a full backlog");
            assertEquals(Errno.EAGAIN, full.errno(), "a full AF_UNIX backlog answers EAGAIN: " + full);
            SocketError e = assertThrows(SocketError.class, () -> Sockets.createServer(address), "createServer over a busy server");
            assertEquals(Errno.EADDRINUSE, e.errno(), "errno over a busy server: " + e);
            assertTrue(Files.exists(address.path()), "the busy server's file stays");
        }
    }

    @Test
    void createServerRefusesRegularFileAndDatagramSocket() throws Exception {
        Path file = dir.resolve("file.sock");
        Files.writeString(file, "keep me");
        SocketError e = assertThrows(SocketError.class, () -> Sockets.createServer(UnixAddress.of(file)), "createServer over a regular file");
        assertEquals(Errno.EADDRINUSE, e.errno(), "errno over a regular file: " + e);
        assertEquals("keep me", Files.readString(file), "the regular file is untouched");

        UnixAddress dgram = UnixAddress.of(dir.resolve("dgram.sock"));
        try (Socket d = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM)) {
            d.bind(dgram);
            SocketError over = assertThrows(SocketError.class, () -> Sockets.createServer(dgram), "createServer over a datagram socket");
            assertEquals(Errno.EADDRINUSE, over.errno(), "errno over a live datagram socket: " + over);
            assertTrue(Files.exists(dgram.path()), "the datagram socket's file stays");
        }
    }

    @Test
    void createServerLeavesASocketThatIsAboutToListen() throws Exception {
        for (int round = 0; round < 10; round++) {
            UnixAddress address = UnixAddress.of(dir.resolve("slow" + round + ".sock"));
            try (Socket slow = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM)) {
                slow.bind(address);
                Object inode = Files.getAttribute(address.path(), "unix:ino");
                Thread listen = new Thread(() -> {
                    try {
                        Thread.sleep(20); // the behaviour under test: a server slow between bind and listen
                        slow.listen(8);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                listen.start();
                SocketError e = assertThrows(SocketError.class, () -> Sockets.createServer(address).close(),
                        "createServer over a server between bind and listen (round " + round + ")");
                assertEquals(Errno.EADDRINUSE, e.errno(), "errno over a server about to listen: " + e);
                listen.join(5000);
                assertEquals(inode, Files.getAttribute(address.path(), "unix:ino"), "the slow server's socket file stays");
                try (Socket client = Sockets.createConnection(address, Duration.ofSeconds(5))) {
                    slow.setTimeout(Duration.ofSeconds(5));
                    io.jsock.Accepted accepted = slow.accept();
                    accepted.socket().close();
                    assertEquals(client.getSockName(), accepted.address(), "the slow server accepts the client");
                }
            }
        }
    }
}
