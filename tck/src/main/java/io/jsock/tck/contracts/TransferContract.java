package io.jsock.tck.contracts;

import static org.junit.jupiter.api.Assertions.assertThrows;
import io.jsock.SocketTimeoutError;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Moving bytes over connection-oriented sockets: recv, recvInto, send, sendAll, the streams, the end of a connection. */
@ContractGroup(name = "transfer", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class TransferContract {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Contract(id = "stream.transfer.bytes-arrive-exact-both-ways",
            statement = "Bytes sent on either side of a connection arrive at the other side complete, in order and unchanged.")
    void bytesArriveExactBothWays(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        int size = t.semantics() == Semantics.STREAM ? 200_000 : 1_000;
        byte[] up = random(size, 1);
        byte[] down = random(size, 2);
        TckTarget.Background<Void> sender = t.background("sendAll on the client", () -> {
            c.client().sendAll(up);
            return null;
        });
        assertArrayEquals(up, recvExactly(c.server(), size, "the server"), "bytes client -> server");
        sender.get(LIMIT);
        c.server().sendAll(down);
        assertArrayEquals(down, recvExactly(c.client(), size, "the client"), "bytes server -> client");
    }

    @Contract(id = "stream.transfer.recv-returns-at-most-bufsize",
            statement = "recv(n) returns at least one and at most n bytes when data is waiting; on a stream the rest follows in order.")
    void recvReturnsAtMostBufsize(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        byte[] data = random(100, 3);
        c.client().sendAll(data);
        byte[] first = c.server().recv(10);
        assertTrue(first.length >= 1 && first.length <= 10, "recv(10) with 100 bytes waiting returned " + first.length + " bytes");
        assertArrayEquals(Arrays.copyOf(data, first.length), first, "bytes of recv(10)");
        if (t.semantics() == Semantics.STREAM) {
            byte[] rest = recvExactly(c.server(), data.length - first.length, "the server");
            assertArrayEquals(Arrays.copyOfRange(data, first.length, data.length), rest, "bytes after recv(10)");
        }
    }

    @Contract(id = "stream.transfer.recv-zero-returns-empty-and-keeps-data",
            statement = "recv(0) on a stream returns an empty array at once and consumes nothing.",
            semantics = Semantics.STREAM)
    void recvZeroReturnsEmptyAndKeepsData(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        assertEquals(0, c.server().recv(0).length, "recv(0) with nothing waiting");
        c.client().sendAll(new byte[] {1, 2, 3});
        assertEquals(0, c.server().recv(0).length, "recv(0) with bytes waiting");
        assertArrayEquals(new byte[] {1, 2, 3}, recvExactly(c.server(), 3, "the server"), "bytes after recv(0)");
    }

    @Contract(id = "stream.transfer.recv-into-advances-position",
            statement = "recv_into(buffer) writes at the buffer's position, advances it by the count returned and leaves the limit; heap and direct alike.")
    void recvIntoAdvancesPosition(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        for (boolean direct : new boolean[] {false, true}) {
            String kind = direct ? "direct" : "heap";
            ByteBuffer dst = direct ? ByteBuffer.allocateDirect(16) : ByteBuffer.allocate(16);
            dst.position(2).limit(12);
            c.client().sendAll(new byte[] {9, 8, 7, 6});
            int n = c.server().recvInto(dst);
            assertTrue(n >= 1 && n <= 4, "recvInto(" + kind + " buffer) of 4 waiting bytes returned " + n);
            assertEquals(2 + n, dst.position(), "position of the " + kind + " buffer after recvInto returned " + n);
            assertEquals(12, dst.limit(), "limit of the " + kind + " buffer after recvInto");
            byte[] got = new byte[n];
            dst.flip().position(2);
            dst.get(got);
            assertArrayEquals(Arrays.copyOf(new byte[] {9, 8, 7, 6}, n), got, "bytes recvInto put in the " + kind + " buffer");
            if (n < 4) {
                recvExactly(c.server(), 4 - n, "the server");
            }
        }
        ByteBuffer full = ByteBuffer.allocate(4);
        full.position(4);
        assertEquals(0, c.server().recvInto(full), "recvInto a buffer with no room");
    }

    @Contract(id = "stream.transfer.send-buffer-advances-position",
            statement = "send(buffer) sends from the buffer's position and advances it by the count returned; heap and direct alike.")
    void sendBufferAdvancesPosition(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        for (boolean direct : new boolean[] {false, true}) {
            String kind = direct ? "direct" : "heap";
            ByteBuffer src = direct ? ByteBuffer.allocateDirect(8) : ByteBuffer.allocate(8);
            src.put(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}).position(1).limit(5);
            int n = c.client().send(src);
            assertTrue(n >= 1 && n <= 4, "send(" + kind + " buffer) of 4 bytes returned " + n);
            assertEquals(1 + n, src.position(), "position of the " + kind + " buffer after send returned " + n);
            assertEquals(5, src.limit(), "limit of the " + kind + " buffer after send");
            assertArrayEquals(Arrays.copyOfRange(new byte[] {0, 1, 2, 3, 4}, 1, 1 + n), recvExactly(c.server(), n, "the server"),
                    "bytes the peer got from send(" + kind + " buffer)");
        }
        ByteBuffer all = ByteBuffer.allocateDirect(6);
        all.put(new byte[] {1, 2, 3, 4, 5, 6}).position(2);
        c.client().sendAll(all);
        assertEquals(all.limit(), all.position(), "position of a direct buffer after sendAll");
        assertArrayEquals(new byte[] {3, 4, 5, 6}, recvExactly(c.server(), 4, "the server"), "bytes of sendAll(direct buffer)");
    }

    @Contract(id = "stream.transfer.send-all-moves-megabytes",
            statement = "sendall() of several megabytes returns only when every byte is sent, and a concurrent reader gets them all in order.",
            semantics = Semantics.STREAM)
    void sendAllMovesMegabytes(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        byte[] payload = random(6 << 20, 4);
        TckTarget.Background<byte[]> reader = t.background("reader of the server until end of stream", () -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream(payload.length);
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            byte[] chunk = new byte[64 * 1024];
            for (int calls = 0; calls < 10_000_000; calls++) {
                buf.clear();
                int n = c.server().recvInto(buf);
                if (n == 0) {
                    return got.toByteArray();
                }
                buf.flip().get(chunk, 0, n);
                got.write(chunk, 0, n);
            }
            throw new AssertionError("no end of stream after 10 million recv_into calls");
        });
        c.client().sendAll(payload);
        c.client().shutdown(Shutdown.SHUT_WR);
        byte[] got = reader.get(LIMIT);
        assertEquals(payload.length, got.length, "bytes the reader got of the " + payload.length + " sendAll sent");
        assertTrue(Arrays.equals(payload, got), "bytes the reader got differ from what sendAll sent");
    }

    @Contract(id = "stream.transfer.recv-after-peer-close-is-empty-every-time",
            statement = "After the peer closes, recv returns an empty array and recv_into returns 0, as often as they are called.")
    void recvAfterPeerCloseIsEmptyEveryTime(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        c.client().sendAll(new byte[] {1});
        c.client().close();
        assertArrayEquals(new byte[] {1}, c.server().recv(16), "recv on the server of the byte sent before close");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, c.server().recv(16).length, "recv #" + (i + 1) + " on the server after the client closed");
            assertEquals(0, c.server().recvInto(ByteBuffer.allocate(16)), "recvInto(heap) #" + (i + 1) + " on the server after the client closed");
            assertEquals(0, c.server().recvInto(ByteBuffer.allocateDirect(16)), "recvInto(direct) #" + (i + 1) + " on the server after the client closed");
        }
    }

    @Contract(id = "stream.transfer.streams-read-and-write-the-socket",
            statement = "outputStream() writes arrive at the peer, inputStream() reads them and returns -1 at the end of stream; "
                    + "closing either stream leaves the socket open.",
            semantics = Semantics.STREAM)
    void streamsReadAndWriteTheSocket(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        OutputStream out = c.client().outputStream();
        out.write(65);
        out.write(new byte[] {66, 67, 68}, 1, 2);
        out.flush();
        out.close();
        assertTrue(!c.client().isClosed(), "closing outputStream() must not close the client socket");
        c.client().shutdown(Shutdown.SHUT_WR);
        InputStream in = c.server().inputStream();
        byte[] got = in.readNBytes(10);
        assertArrayEquals(new byte[] {65, 67, 68}, got, "bytes inputStream() read of what outputStream() wrote");
        assertEquals(-1, in.read(), "inputStream().read() at the end of stream");
        in.close();
        assertTrue(!c.server().isClosed(), "closing inputStream() must not close the server socket");
        c.server().sendAll(new byte[] {1});
        assertArrayEquals(new byte[] {1}, c.client().recv(1), "recv on the client after its outputStream was closed");
    }

    @Contract(id = "stream.transfer.send-after-peer-closed-raises-epipe", notProtocols = Protocols.IPPROTO_MPTCP,
            statement = "Sending to a peer that has closed fails within a few sends with EPIPE (or ECONNRESET), never with a signal.")
    void sendAfterPeerClosedRaisesEpipe(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        c.server().close();
        byte[] chunk = new byte[1024];
        SocketError[] failure = new SocketError[1];
        int[] sends = new int[1];
        TckTarget.await("send on the client to fail after the server closed", LIMIT, () -> {
            try {
                c.client().send(chunk);
                sends[0]++;
                if (sends[0] > 10_000) {
                    throw new AssertionError("send on the client kept succeeding " + sends[0] + " times after the server closed");
                }
                return false;
            } catch (SocketError e) {
                failure[0] = e;
                return true;
            }
        });
        assertTrue(EnumSet.of(Errno.EPIPE, Errno.ECONNRESET).contains(failure[0].errno()),
                "send on the client after the server closed must raise EPIPE or ECONNRESET, raised " + failure[0]);
        assertErrno(Errno.EPIPE, "a further send on the client after the server closed", () -> c.client().send(chunk));
    }

    @Contract(id = "stream.transfer.mptcp-send-after-peer-closed-is-no-reset", protocols = Protocols.IPPROTO_MPTCP,
            statement = "On MPTCP a peer's close sends no reset for later data: a send after it succeeds and recv then returns "
                    + "the end of stream, as Linux and CPython show (TCP's answer is EPIPE or ECONNRESET).")
    void mptcpSendAfterPeerClosedIsNoReset(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        c.server().close();
        assertEquals(0, c.client().recv(16).length, "recv on the client after the server closed: the end of stream");
        assertEquals(1024, c.client().send(new byte[1024]), "a send after the peer's close and its end of stream");
        assertEquals(0, c.client().recv(16).length, "recv on the client after that send: the end of stream still");
    }

    @Contract(id = "stream.transfer.linger-zero-close-resets-peer",
            statement = "close() with SO_LINGER set to 0 resets the connection: the peer's recv raises ECONNRESET, then returns the end of stream.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void lingerZeroCloseResetsPeer(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        if (!c.client().supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
            throw t.skip("SO_LINGER is not among the supported options " + c.client().supportedOptions() + ".");
        }
        c.client().setOption(StandardSocketOptions.SO_LINGER, 0);
        c.client().close();
        assertErrno(Errno.ECONNRESET, "recv on the server after the client closed with SO_LINGER 0", () -> c.server().recv(16));
        assertEquals(0, c.server().recv(16).length, "recv on the server after the ECONNRESET was reported");
    }

    @Contract(id = "stream.transfer.recvfrom-on-connected-socket-returns-data",
            statement = "recvfrom() on a connected socket returns the data; the address is none or the peer's.")
    void recvfromOnConnectedSocketReturnsData(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        limit(c);
        c.client().sendAll(new byte[] {4, 5, 6});
        Datagram d = c.server().recvFrom(3);
        assertTrue(d.data().length >= 1, "recvFrom(3) on the server with 3 bytes waiting returned nothing");
        assertArrayEquals(Arrays.copyOf(new byte[] {4, 5, 6}, d.data().length), d.data(), "bytes of recvFrom on the server");
        assertTrue(d.address() == null || d.address().equals(c.server().getPeerName()),
                "address of recvFrom on a connected server must be null or its peer " + c.server().getPeerName() + ", got " + d.address());
        if (d.data().length < 3) {
            recvExactly(c.server(), 3 - d.data().length, "the server");
        }
        c.client().sendAll(new byte[] {7});
        ByteBuffer dst = ByteBuffer.allocate(4);
        java.net.SocketAddress from = c.server().recvFromInto(dst);
        assertEquals(1, dst.position(), "position after recvFromInto of one byte");
        assertTrue(from == null || from.equals(c.server().getPeerName()),
                "address of recvFromInto on a connected server must be null or its peer, got " + from);
    }

    /** Puts both sides of a connection in timeout mode so that a provider bug fails the case instead of hanging it. */
    static void limit(TckTarget.Connection c) throws SocketError {
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Exactly {@code n} bytes from {@code s}, or an AssertionError naming {@code who} at an early end of stream. */
    static byte[] recvExactly(Socket s, int n, String who) throws SocketError {
        byte[] out = new byte[n];
        int off = 0;
        for (int calls = 0; off < n; calls++) {
            if (calls > n + 1000) {
                throw new AssertionError("recv on " + who + " made no progress: " + off + " of " + n + " bytes");
            }
            byte[] chunk = s.recv(n - off);
            if (chunk.length == 0) {
                throw new AssertionError("recv on " + who + " reached the end of stream after " + off + " of " + n + " bytes");
            }
            System.arraycopy(chunk, 0, out, off, chunk.length);
            off += chunk.length;
        }
        return out;
    }

    @Contract(id = "stream.transfer.close-waits-for-open-streams",
            statement = "close() while an inputStream() or outputStream() is open waits for them, as CPython's makefile: "
                    + "the socket and its streams keep working, and the descriptor closes when the last stream is closed.")
    void closeWaitsForOpenStreams(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.client();
        s.setTimeout(Duration.ofSeconds(5));
        InputStream in = s.inputStream();
        OutputStream out = s.outputStream();
        s.close();
        assertTrue(!s.isClosed(), "isClosed() of a socket closed while its streams are open");
        out.write(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, c.server().recv(16), "what the output stream wrote after close()");
        c.server().sendAll(new byte[] {3});
        assertEquals(3, in.read(), "what the input stream read after close()");
        s.sendAll(new byte[] {4});
        assertArrayEquals(new byte[] {4}, c.server().recv(16), "what the socket itself sent after close()");
        out.close();
        assertTrue(!s.isClosed(), "isClosed() while the input stream is still open");
        in.close();
        assertTrue(s.isClosed(), "isClosed() once the last stream is closed");
        assertEquals(-1, s.fileno(), "fileno() once the last stream is closed");
        c.server().setTimeout(Duration.ofSeconds(5));
        assertEquals(0, c.server().recv(16).length, "the peer sees the end of stream once the last stream is closed");
    }

    @Contract(id = "stream.transfer.stream-read-after-timeout-fails-at-once",
            statement = "After a read of inputStream() timed out, the next read of that stream fails at once with an "
                    + "IOException, as CPython's SocketIO does, though data has arrived; the socket still reads it.")
    void streamReadAfterTimeoutFailsAtOnce(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        s.setTimeout(Duration.ofMillis(100));
        InputStream in = s.inputStream();
        assertThrows(SocketTimeoutError.class, in::read, "a read of the stream with nothing to read");
        c.client().sendAll(new byte[] {9});
        java.io.IOException e = assertThrows(java.io.IOException.class, in::read, "the next read of the timed-out stream");
        assertTrue(!(e instanceof SocketTimeoutError) && e.getMessage().contains("timed out"),
                "the next read must fail at once saying the stream timed out, got " + e);
        s.setTimeout(Duration.ofSeconds(5));
        assertArrayEquals(new byte[] {9}, s.recv(16), "the socket itself still reads the byte");
        in.close();
    }
}
