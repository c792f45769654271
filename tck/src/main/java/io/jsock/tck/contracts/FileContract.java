package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's {@code socket.sendfile}: sendfile(2) of a file's range over a connection, and what it refuses. */
@ContractGroup(name = "files", appliesTo = {Semantics.STREAM, Semantics.DATAGRAM})
public final class FileContract {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Contract(id = "stream.files.send-file-sends-the-range",
            statement = "sendFile(path, offset, count) sends exactly count bytes of the file from offset on and returns count.",
            semantics = Semantics.STREAM)
    void sendFileSendsTheRange(TckTarget t) throws Exception {
        byte[] content = random(300_000, 1);
        Path file = write(t, "range", content);
        TckTarget.Connection c = connected(t);
        TckTarget.Background<byte[]> peer = t.background("the peer reading", () -> receive(c.server(), 200_000));
        long sent = t.optional("sendFile", () -> c.client().sendFile(file, 1000, 200_000));
        assertEquals(200_000, sent, "sendFile(path, 1000, 200000) of a 300000-byte file returns");
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 201_000), peer.get(LIMIT),
                "the bytes the peer received of sendFile(path, 1000, 200000)");
    }

    @Contract(id = "stream.files.count-zero-sends-to-the-end",
            statement = "A count of 0 sends from offset to the end of the file; an offset at or past the end, or an empty file, "
                    + "sends nothing and returns 0.",
            semantics = Semantics.STREAM)
    void countZeroSendsToTheEnd(TckTarget t) throws Exception {
        byte[] content = random(70_001, 2);
        Path file = write(t, "whole", content);
        Path empty = write(t, "empty", new byte[0]);
        TckTarget.Connection c = connected(t);
        int expectedLength = content.length - 5 + 3;
        TckTarget.Background<byte[]> peer = t.background("the peer reading", () -> receive(c.server(), expectedLength));
        assertEquals(content.length - 5, (long) t.optional("sendFile", () -> c.client().sendFile(file, 5, 0)),
                "sendFile(path, 5, 0) of a 70001-byte file returns");
        assertEquals(0, c.client().sendFile(file, content.length, 0), "sendFile at the file's end returns");
        assertEquals(0, c.client().sendFile(file, content.length + 10, 100), "sendFile past the file's end returns");
        assertEquals(0, c.client().sendFile(empty, 0, 0), "sendFile of an empty file returns");
        assertEquals(3, c.client().sendFile(file, content.length - 3, 1000), "sendFile of a count past the end returns");
        byte[] expected = new byte[content.length - 5 + 3];
        System.arraycopy(content, 5, expected, 0, content.length - 5);
        System.arraycopy(content, content.length - 3, expected, content.length - 5, 3);
        assertArrayEquals(expected, peer.get(LIMIT), "the bytes the peer received");
    }

    @Contract(id = "stream.files.channel-position-is-left-alone",
            statement = "sendFile(channel, offset, count) sends the channel's bytes from offset on and leaves its position where it was.",
            semantics = Semantics.STREAM)
    void channelPositionIsLeftAlone(TckTarget t) throws Exception {
        byte[] content = random(600_000, 3);
        Path file = write(t, "channel", content);
        TckTarget.Connection c = connected(t);
        TckTarget.Background<byte[]> peer = t.background("the peer reading", () -> receive(c.server(), 501_000));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(17);
            long sent = t.optional("sendFile", () -> c.client().sendFile(channel, 100, 500_000));
            assertEquals(500_000, sent, "sendFile(channel, 100, 500000) returns");
            assertEquals(17, channel.position(), "the channel's position after sendFile");
            assertEquals(content.length - 599_000, c.client().sendFile(channel, 599_000, 0), "sendFile(channel, 599000, 0) returns");
            assertEquals(17, channel.position(), "the channel's position after sendFile to the end");
        }
        byte[] expected = new byte[500_000 + 1000];
        System.arraycopy(content, 100, expected, 0, 500_000);
        System.arraycopy(content, 599_000, expected, 500_000, 1000);
        assertArrayEquals(expected, peer.get(LIMIT), "the bytes the peer received of the channel");
    }

    @Contract(id = "stream.files.bad-arguments-refused-before-any-io",
            statement = "A negative offset or count, or a socket in non-blocking mode, is an IllegalArgumentException and sends "
                    + "nothing.",
            semantics = Semantics.STREAM)
    void badArgumentsRefusedBeforeAnyIo(TckTarget t) throws Exception {
        Path file = write(t, "refused", random(1000, 4));
        TckTarget.Connection c = connected(t);
        Socket s = c.client();
        assertThrows(IllegalArgumentException.class, () -> s.sendFile(file, -1, 0), "sendFile with offset -1");
        assertThrows(IllegalArgumentException.class, () -> s.sendFile(file, 0, -1), "sendFile with count -1");
        assertThrows(NullPointerException.class, () -> s.sendFile((Path) null, 0, 0), "sendFile of a null path");
        s.setTimeout(Duration.ZERO);
        assertThrows(IllegalArgumentException.class, () -> s.sendFile(file, 0, 0), "sendFile in non-blocking mode");
        c.server().setTimeout(Duration.ZERO);
        assertErrno(Errno.EAGAIN, "recv on the peer after the refused sendFile calls", () -> c.server().recv(10));
    }

    @Contract(id = "stream.files.closed-socket-is-ebadf",
            statement = "sendFile on a closed socket is EBADF.",
            semantics = Semantics.STREAM)
    void closedSocketIsEbadf(TckTarget t) throws Exception {
        Path file = write(t, "closed", random(10, 5));
        Socket s = t.open();
        s.close();
        assertErrno(Errno.EBADF, "sendFile on a closed socket", () -> s.sendFile(file, 0, 0));
    }

    @Contract(id = "stream.files.missing-file-is-enoent",
            statement = "sendFile of a file that does not exist is open(2)'s ENOENT.",
            semantics = Semantics.STREAM)
    void missingFileIsEnoent(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        Path missing = t.tempDir().resolve("no-such-file");
        assertErrno(Errno.ENOENT, "sendFile of " + missing, () -> t.optional("sendFile", () -> c.client().sendFile(missing, 0, 0)));
    }

    @Contract(id = "stream.files.timeout-is-one-deadline",
            statement = "In timeout mode the timeout is one deadline for the whole sendFile, as for sendall: to a peer that "
                    + "reads a little at a time, so that each wait for room ends in time, sendFile of more than it reads still "
                    + "times out once the deadline passes.",
            semantics = Semantics.STREAM)
    void timeoutIsOneDeadline(TckTarget t) throws Exception {
        Path file = write(t, "big", new byte[64 << 20]);
        TckTarget.Connection c = t.connection();
        c.server().setTimeout(LIMIT);
        c.client().setTimeout(Duration.ofMillis(500));
        AtomicBoolean done = new AtomicBoolean();
        // fast enough that every wait for room ends within the timeout (TCP wakes a writer once half its
        // send buffer is free), slow enough that 64 MiB take seconds: only the one deadline ends the call
        t.background("a peer reading 256 KiB every 20 ms", () -> {
            for (int i = 0; i < 500 && !done.get(); i++) { // at most 10 s
                c.server().recv(256 * 1024);
                LockSupport.parkNanos(20_000_000L); // pacing, not synchronisation
            }
            return null;
        });
        long start = System.nanoTime();
        try {
            SocketError e = assertThrows(SocketError.class, () -> t.optional("sendFile", () -> c.client().sendFile(file, 0, 0)),
                    "sendFile of 64 MiB with a 500 ms timeout to a peer reading about 12 MiB/s");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e instanceof SocketTimeoutError, "sendFile to a slow peer raises a timeout, got " + e);
            assertTrue(ms >= 450 && ms < 3000, "sendFile with a 500 ms timeout ended after " + ms + " ms");
        } finally {
            done.set(true);
        }
    }

    @Contract(id = "datagram.files.send-file-refuses-a-datagram-socket",
            statement = "sendFile on a datagram socket is an IllegalArgumentException, as CPython's ValueError "
                    + "\"only SOCK_STREAM type sockets are supported\".",
            semantics = Semantics.DATAGRAM)
    void sendFileRefusesADatagramSocket(TckTarget t) throws Exception {
        Path file = write(t, "datagram", random(10, 6));
        Socket s = t.bound();
        assertThrows(IllegalArgumentException.class, () -> s.sendFile(file, 0, 0), "sendFile on a " + t.type() + " socket");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThrows(IllegalArgumentException.class, () -> s.sendFile(channel, 0, 0), "sendFile(channel) on a " + t.type() + " socket");
        }
    }

    static TckTarget.Connection connected(TckTarget t) throws SocketError {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
        return c;
    }

    static Path write(TckTarget t, String name, byte[] content) throws IOException {
        return Files.write(t.tempDir().resolve(name), content);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Reads until {@code count} bytes came or the stream ended (each recv bounded by the socket's timeout). */
    static byte[] receive(Socket s, int count) throws SocketError {
        ByteArrayOutputStream got = new ByteArrayOutputStream(count);
        while (got.size() < count) {
            byte[] piece = s.recv(Math.min(65536, count - got.size()));
            if (piece.length == 0) {
                break;
            }
            got.write(piece, 0, piece.length);
        }
        return got.toByteArray();
    }
}
