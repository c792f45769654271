package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.MessageFlags;
import io.jsock.Protocols;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** TCP's urgent data: send(MSG_OOB) and recv(MSG_OOB). */
@ContractGroup(name = "flags", appliesTo = Semantics.STREAM, families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
public final class OutOfBandContract {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Contract(id = "stream.flags.oob-sends-and-reads-urgent-data", notProtocols = Protocols.IPPROTO_MPTCP,
            statement = "send(b, MSG_OOB) sends one byte of urgent data; recv(1, MSG_OOB) reads it apart from the stream "
                    + "and never waits (EINVAL or EAGAIN until it is there, as Linux says).")
    void oobSendsAndReadsUrgentData(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().sendAll(new byte[] {1, 2});
        t.optional("send with MSG_OOB", () -> c.client().send(new byte[] {'!'}, MessageFlags.MSG_OOB));
        byte[][] urgent = new byte[1][];
        TckTarget.await("the urgent byte to arrive", LIMIT, () -> {
            try {
                urgent[0] = c.server().recv(1, MessageFlags.MSG_OOB);
                return true;
            } catch (SocketError e) {
                if (e.errno() == Errno.EINVAL || e.errno() == Errno.EAGAIN) {
                    return false; // not there yet: MSG_OOB never waits
                }
                throw new AssertionError("recv(1, MSG_OOB) raised " + e, e);
            }
        });
        assertArrayEquals(new byte[] {'!'}, urgent[0], "the urgent byte recv(1, MSG_OOB) read");
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {1, 2}, c.server().recv(2, MessageFlags.MSG_WAITALL), "the stream around the urgent byte");
    }

    @Contract(id = "stream.flags.mptcp-oob-is-in-line", protocols = Protocols.IPPROTO_MPTCP,
            statement = "MPTCP has no urgent data: send(b, MSG_OOB) sends b in line and recv(1, MSG_OOB) reads the next byte "
                    + "of the stream, as Linux and CPython show.")
    void mptcpOobIsInLine(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().sendAll(new byte[] {1, 2});
        c.client().send(new byte[] {'!'}, MessageFlags.MSG_OOB);
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {1}, c.server().recv(1, MessageFlags.MSG_OOB), "recv(1, MSG_OOB): the stream's first byte");
        assertArrayEquals(new byte[] {2, '!'}, c.server().recv(2, MessageFlags.MSG_WAITALL), "the rest, the 'urgent' byte in line");
    }
}
