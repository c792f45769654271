package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.MessageFlags;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.nio.ByteBuffer;
import java.time.Duration;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** recv(2)'s and send(2)'s flags on connected stream sockets: Python's optional {@code flags} argument. */
@ContractGroup(name = "flags", appliesTo = Semantics.STREAM)
public final class FlagsContract {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    /** A connection whose provider takes flags; skips the case, saying so, where it takes none. */
    static TckTarget.Connection connection(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        try {
            c.server().recv(1, MessageFlags.MSG_DONTWAIT);
            throw new AssertionError("recv(1, MSG_DONTWAIT) on a new connection returned data nobody sent");
        } catch (SocketError e) {
            if (e.errno() == Errno.EOPNOTSUPP) {
                throw t.skip("The provider takes no flags on recv (" + e.getMessage() + ").");
            }
            if (e.errno() != Errno.EAGAIN) {
                throw e;
            }
        }
        return c;
    }

    @Contract(id = "stream.flags.peek-leaves-the-data",
            statement = "recv(n, MSG_PEEK) returns the waiting bytes and leaves them: the next recv returns them again.")
    void peekLeavesTheData(TckTarget t) throws Exception {
        TckTarget.Connection c = connection(t);
        c.client().sendAll(new byte[] {1, 2, 3});
        c.server().setTimeout(LIMIT);
        byte[] peeked = c.server().recv(3, MessageFlags.MSG_PEEK);
        assertEquals(1, peeked[0], "the first byte MSG_PEEK returned");
        assertArrayEquals(new byte[] {1, 2, 3}, c.server().recv(3, MessageFlags.MSG_WAITALL), "recv after peeking");
    }

    @Contract(id = "stream.flags.waitall-waits-for-every-byte",
            statement = "recv(n, MSG_WAITALL) in blocking mode returns only when all n bytes arrived, though they come in "
                    + "pieces.")
    void waitallWaitsForEveryByte(TckTarget t) throws Exception {
        TckTarget.Connection c = connection(t);
        Socket server = c.server();
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        c.client().sendAll(ByteBuffer.wrap(data, 0, 10));
        TckTarget.Background<byte[]> reader = t.background("recv(100000, MSG_WAITALL)",
                () -> server.recv(data.length, MessageFlags.MSG_WAITALL));
        reader.awaitInside(server, "recv", LIMIT);
        c.client().sendAll(ByteBuffer.wrap(data, 10, data.length - 10));
        assertArrayEquals(data, reader.get(LIMIT), "what recv(100000, MSG_WAITALL) returned of 10 + 99990 bytes sent");
    }

    @Contract(id = "stream.flags.waitall-returns-what-came-before-the-end",
            statement = "recv(n, MSG_WAITALL) returns fewer bytes when the stream ends first, and recv_into(MSG_WAITALL) "
                    + "fills the buffer.")
    void waitallReturnsWhatCameBeforeTheEnd(TckTarget t) throws Exception {
        TckTarget.Connection c = connection(t);
        c.server().setTimeout(LIMIT);
        c.client().sendAll(new byte[] {1, 2, 3, 4, 5, 6, 7});
        ByteBuffer four = ByteBuffer.allocate(4);
        assertEquals(4, c.server().recvInto(four, MessageFlags.MSG_WAITALL), "recv_into(4-byte buffer, MSG_WAITALL)");
        c.client().shutdown(Shutdown.SHUT_WR);
        assertArrayEquals(new byte[] {5, 6, 7}, c.server().recv(100, MessageFlags.MSG_WAITALL),
                "recv(100, MSG_WAITALL) of 3 bytes before the end of stream");
    }

    @Contract(id = "stream.flags.dontwait-never-waits",
            statement = "recv(n, MSG_DONTWAIT) on a blocking socket with nothing to read raises EAGAIN at once, and the "
                    + "socket stays blocking.")
    void dontwaitNeverWaits(TckTarget t) throws Exception {
        TckTarget.Connection c = connection(t);
        Socket s = c.server();
        t.within("recv(1, MSG_DONTWAIT) on an idle blocking socket", LIMIT,
                () -> assertErrno(Errno.EAGAIN, "recv(1, MSG_DONTWAIT) on an idle blocking socket",
                        () -> s.recv(1, MessageFlags.MSG_DONTWAIT)));
        assertEquals(true, s.getBlocking(), "getBlocking() after a MSG_DONTWAIT call");
    }
}
