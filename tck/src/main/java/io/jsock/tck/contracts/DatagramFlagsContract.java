package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.MessageFlags;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.nio.ByteBuffer;
import java.time.Duration;

import static io.jsock.tck.TckTarget.assertErrno;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** recv(2)'s flags on datagram sockets. */
@ContractGroup(name = "flags", appliesTo = Semantics.DATAGRAM)
public final class DatagramFlagsContract {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Contract(id = "datagram.flags.peek-leaves-the-datagram",
            statement = "recvfrom(n, MSG_PEEK) returns the next datagram and its sender and leaves it queued.")
    void peekLeavesTheDatagram(TckTarget t) throws Exception {
        TckTarget.Connection c = FlagsContract.connection(t);
        c.client().send(text("first"));
        c.client().send(text("second"));
        c.server().setTimeout(LIMIT);
        io.jsock.Datagram peeked = c.server().recvFrom(64, MessageFlags.MSG_PEEK);
        assertArrayEquals(text("first"), peeked.data(), "the datagram MSG_PEEK returned");
        assertEquals(c.client().getSockName(), peeked.address(), "the sender MSG_PEEK returned");
        assertArrayEquals(text("first"), c.server().recv(64), "recv after peeking");
        assertArrayEquals(text("second"), c.server().recv(64), "the next recv");
    }

    @Contract(id = "datagram.flags.trunc-reports-the-real-length",
            statement = "With MSG_TRUNC, recv_into returns a datagram's real length though it stored only what fit, and "
                    + "recv(n, MSG_TRUNC) returns at most n bytes.")
    void truncReportsTheRealLength(TckTarget t) throws Exception {
        TckTarget.Connection c = FlagsContract.connection(t);
        byte[] hundred = new byte[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = (byte) i;
        }
        c.client().send(hundred);
        c.client().send(hundred);
        c.server().setTimeout(LIMIT);
        ByteBuffer ten = ByteBuffer.allocate(10);
        int n = c.server().recvInto(ten, MessageFlags.MSG_TRUNC);
        assertEquals(100, n, "recv_into(10-byte buffer, MSG_TRUNC) of a 100-byte datagram returns its length");
        assertEquals(10, ten.position(), "bytes stored by recv_into(10-byte buffer, MSG_TRUNC)");
        assertArrayEquals(java.util.Arrays.copyOf(hundred, 10), ten.array(), "what recv_into stored");
        assertArrayEquals(java.util.Arrays.copyOf(hundred, 10), c.server().recv(10, MessageFlags.MSG_TRUNC),
                "recv(10, MSG_TRUNC) of a 100-byte datagram");
    }

    @Contract(id = "datagram.flags.dontwait-never-waits",
            statement = "recv(n, MSG_DONTWAIT) on a blocking datagram socket with nothing queued raises EAGAIN at once.")
    void dontwaitNeverWaits(TckTarget t) throws Exception {
        TckTarget.Connection c = FlagsContract.connection(t);
        t.within("recv(1, MSG_DONTWAIT) on an idle blocking datagram socket", LIMIT,
                () -> assertErrno(Errno.EAGAIN, "recv(1, MSG_DONTWAIT) on an idle blocking datagram socket",
                        () -> c.server().recv(1, MessageFlags.MSG_DONTWAIT)));
    }
}
