package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Open, bind, listen, accept, connect, shutdown and close of connection-oriented sockets. */
@ContractGroup(name = "lifecycle", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class LifecycleContract {

    @Contract(id = "stream.lifecycle.open-reports-its-triple",
            statement = "A new socket reports the family, type and protocol it was opened with.")
    void openReportsItsTriple(TckTarget t) throws Exception {
        Socket s = t.open();
        assertEquals(t.family(), s.family(), "family of " + s);
        assertEquals(t.type(), s.type(), "type of " + s);
        assertEquals(t.proto(), s.proto(), "proto of " + s);
    }

    @Contract(id = "stream.lifecycle.connect-accept-exchange-close",
            statement = "A client connects to a listening socket, accept returns the peer, bytes flow both ways, "
                    + "and recv returns an empty array after the peer closes.")
    void connectAcceptExchangeClose(TckTarget t) throws Exception {
        Socket listener = t.listener();
        Socket client = t.open();
        client.connect(listener.getSockName());
        io.jsock.Accepted accepted = listener.accept();
        Socket server = t.track(accepted);
        client.sendAll(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, server.recv(16), "bytes client -> server");
        server.sendAll(new byte[] {4});
        assertArrayEquals(new byte[] {4}, client.recv(16), "bytes server -> client");
        client.close();
        assertEquals(0, server.recv(16).length, "recv after the peer closed must return the end of stream");
    }

    @Contract(id = "stream.lifecycle.close-is-idempotent",
            statement = "close() may be called any number of times and never throws; isClosed() is then true.")
    void closeIsIdempotent(TckTarget t) throws Exception {
        Socket s = t.open();
        s.close();
        s.close();
        assertTrue(s.isClosed(), "isClosed() after close()");
    }

    @Contract(id = "stream.lifecycle.calls-after-close-raise-ebadf",
            statement = "Every operation on a closed socket raises EBADF.")
    void callsAfterCloseRaiseEbadf(TckTarget t) throws Exception {
        Socket s = t.open();
        s.close();
        SocketError e = assertThrows(SocketError.class, () -> s.recv(1), "recv on a closed socket");
        assertEquals(Errno.EBADF, e.errno(), "errno of recv on a closed socket: " + e);
    }
}
