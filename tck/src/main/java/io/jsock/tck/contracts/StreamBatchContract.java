package io.jsock.tck.contracts;

import io.jsock.Datagram;
import io.jsock.Shutdown;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.io.ByteArrayOutputStream;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;

import static io.jsock.tck.contracts.DatagramSupport.connected;
import static io.jsock.tck.contracts.DatagramSupport.random;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sendMany and recvMany on a connection: sendmmsg(2) and recvmmsg(2) of a byte stream, as Linux and jsock's rule give them. */
@ContractGroup(name = "batches", appliesTo = Semantics.STREAM)
public final class StreamBatchContract {

    @Contract(id = "stream.batches.recv-many-reads-pieces-and-ends-at-the-end-of-stream",
            statement = "recvMany(n, size) of a stream returns pieces of at most size bytes in order, with no address, and the "
                    + "end of the stream as one empty piece, the last of its list.")
    void recvManyReadsPiecesAndEndsAtTheEndOfStream(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        c.client().sendAll(text("hello, batches"));
        c.client().shutdown(Shutdown.SHUT_WR);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<Datagram> last = List.of();
        for (int calls = 0; calls < 100 && (last.isEmpty() || last.get(last.size() - 1).data().length > 0); calls++) {
            List<Datagram> some = t.optional("recvMany", () -> c.server().recvMany(8, 5));
            for (int i = 0; i < some.size(); i++) {
                Datagram d = some.get(i);
                assertTrue(d.data().length <= 5, "a piece of recvMany(8, 5) has " + d.data().length + " bytes");
                assertNull(d.address(), "the address of a piece of a stream");
                assertTrue(d.data().length > 0 || i == some.size() - 1, "the empty piece (end of stream) is the last: " + some);
                got.write(d.data(), 0, d.data().length);
            }
            last = some;
        }
        assertArrayEquals(text("hello, batches"), got.toByteArray(), "the stream read by recvMany");
        assertEquals(0, last.get(last.size() - 1).data().length, "the last piece after SHUT_WR is empty");
    }

    @Contract(id = "stream.batches.send-many-sends-whole-datagrams-in-order",
            statement = "sendMany on a stream puts the bytes of the datagrams it counts into the stream whole and in order, "
                    + "though the connection's send buffer is much smaller than one.")
    void sendManySendsWholeDatagramsInOrder(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        c.client().setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024); // so that the stream takes a datagram in part
        List<Datagram> batch = new ArrayList<>();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] d = random(50_000, i);
            batch.add(new Datagram(d, null));
            expected.write(d, 0, d.length);
        }
        TckTarget.Background<byte[]> peer = t.background("the peer reading", () -> FileContract.receive(c.server(), expected.size()));
        int from = 0;
        for (int calls = 0; from < batch.size(); calls++) {
            assertTrue(calls < 1000, "sendMany sent " + from + " of " + batch.size() + " datagrams in 1000 calls");
            int f = from;
            from += t.optional("sendMany", () -> c.client().sendMany(batch.subList(f, batch.size())));
        }
        assertArrayEquals(expected.toByteArray(), peer.get(DatagramSupport.LIMIT), "the stream the peer read");
    }
}
