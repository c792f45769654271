package io.jsock.tck.contracts;

import static org.junit.jupiter.api.Assertions.assertThrows;
import io.jsock.SocketError;
import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.Sockets;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Open, bind, listen, accept, connect, shutdown and close of connection-oriented sockets. */
@ContractGroup(name = "lifecycle", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class LifecycleContract {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Contract(id = "stream.lifecycle.open-reports-its-triple",
            statement = "A new socket reports the family, type and protocol it was opened with, and is open.")
    void openReportsItsTriple(TckTarget t) throws Exception {
        Socket s = t.open();
        assertEquals(t.family(), s.family(), "family of " + s);
        assertEquals(t.type(), s.type(), "type of " + s);
        assertEquals(t.proto(), s.proto(), "proto of " + s);
        assertFalse(s.isClosed(), "isClosed() of a new socket " + s);
    }

    @Contract(id = "stream.lifecycle.connect-accept-exchange-close",
            statement = "A client connects to a listening socket, accept returns the peer, bytes flow both ways, "
                    + "and recv returns an empty array after the peer closes.")
    void connectAcceptExchangeClose(TckTarget t) throws Exception {
        Socket listener = t.listener();
        Socket client = t.open();
        client.connect(listener.getSockName());
        Accepted accepted = listener.accept();
        Socket server = t.track(accepted);
        client.sendAll(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, server.recv(16), "bytes client -> server (recv on the accepted socket)");
        server.sendAll(new byte[] {4});
        assertArrayEquals(new byte[] {4}, client.recv(16), "bytes server -> client (recv on the client)");
        client.close();
        server.setTimeout(LIMIT);
        assertEquals(0, server.recv(16).length, "recv on the accepted socket after the client closed must return the end of stream");
    }

    @Contract(id = "stream.lifecycle.accept-returns-the-clients-address",
            statement = "accept() returns the new socket and the peer's address, which equals the client's getsockname() "
                    + "and the new socket's getpeername().")
    void acceptReturnsTheClientsAddress(TckTarget t) throws Exception {
        Socket listener = t.listener();
        Socket client = t.open();
        client.connect(listener.getSockName());
        Accepted accepted = listener.accept();
        Socket server = t.track(accepted);
        assertEquals(client.getSockName(), accepted.address(), "address accept() returned vs the client's getSockName()");
        assertEquals(accepted.address(), server.getPeerName(), "getPeerName() of the accepted socket vs accept()'s address");
        assertEquals(t.family(), server.family(), "family of the accepted socket " + server);
        assertEquals(t.type(), server.type(), "type of the accepted socket " + server);
    }

    @Contract(id = "stream.lifecycle.accepted-socket-is-blocking",
            statement = "The socket accept() returns is in blocking mode whatever the listening socket's mode.")
    void acceptedSocketIsBlocking(TckTarget t) throws Exception {
        Socket listener = t.listener();
        listener.setTimeout(Duration.ofMillis(1500));
        Socket client = t.open();
        client.connect(listener.getSockName());
        Socket fromTimeout = t.track(listener.accept());
        assertNull(fromTimeout.getTimeout(), "getTimeout() of a socket accepted by a listener in timeout mode");
        assertTrue(fromTimeout.getBlocking(), "getBlocking() of a socket accepted by a listener in timeout mode");

        listener.setBlocking(false);
        Socket client2 = t.open();
        client2.connect(listener.getSockName());
        Socket[] accepted = new Socket[1];
        TckTarget.await("a non-blocking accept() to return the waiting connection", LIMIT, () -> {
            try {
                accepted[0] = t.track(listener.accept());
                return true;
            } catch (io.jsock.SocketError e) {
                if (e.errno() != Errno.EAGAIN) {
                    throw new AssertionError("non-blocking accept() with a connection pending: " + e, e);
                }
                return false;
            }
        });
        Socket server = accepted[0];
        assertNull(server.getTimeout(), "getTimeout() of a socket accepted by a non-blocking listener");
        assertTrue(server.getBlocking(), "getBlocking() of a socket accepted by a non-blocking listener");
        // a non-blocking backend would fail this recv with EAGAIN instead of waiting for the byte
        TckTarget.Background<byte[]> reader = t.background("recv on the accepted socket", () -> server.recv(1));
        reader.awaitInside(server, "recv", LIMIT);
        client2.sendAll(new byte[] {42});
        assertArrayEquals(new byte[] {42}, reader.get(LIMIT), "recv on a socket accepted by a non-blocking listener must wait for data");
    }

    @Contract(id = "stream.lifecycle.shutdown-write-ends-peers-stream",
            statement = "After shutdown(SHUT_WR) the peer's recv returns the end of stream, while the other direction still carries data.")
    void shutdownWriteEndsPeersStream(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().sendAll(new byte[] {7});
        c.client().shutdown(Shutdown.SHUT_WR);
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {7}, c.server().recv(16), "recv on the server of the bytes sent before SHUT_WR");
        assertEquals(0, c.server().recv(16).length, "recv on the server after the client's SHUT_WR must return the end of stream");
        assertEquals(0, c.server().recv(16).length, "a second recv on the server after the client's SHUT_WR must return the end of stream");
        c.server().sendAll(new byte[] {8, 9});
        c.client().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {8, 9}, c.client().recv(16), "recv on the client after its own SHUT_WR (the other direction)");
        assertErrno(Errno.EPIPE, "send on the client after its own SHUT_WR", () -> c.client().send(new byte[] {1}));
    }

    @Contract(id = "stream.lifecycle.shutdown-read-ends-own-stream",
            statement = "After shutdown(SHUT_RD) the socket's own recv returns the end of stream, while it can still send.")
    void shutdownReadEndsOwnStream(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
        c.client().shutdown(Shutdown.SHUT_RD);
        assertEquals(0, c.client().recv(16).length, "recv on the client after its own SHUT_RD must return the end of stream");
        assertEquals(0, c.client().recv(16).length, "a second recv on the client after its own SHUT_RD");
        c.client().sendAll(new byte[] {3});
        assertArrayEquals(new byte[] {3}, c.server().recv(16), "recv on the server of a byte the client sent after its SHUT_RD");
    }

    @Contract(id = "stream.lifecycle.shutdown-both-ends-both-directions",
            statement = "After shutdown(SHUT_RDWR) the peer's recv and the socket's own recv return the end of stream, its send raises EPIPE, "
                    + "and the socket stays open with its peer name.")
    void shutdownBothEndsBothDirections(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
        SocketAddress peer = c.client().getPeerName();
        c.client().shutdown(Shutdown.SHUT_RDWR);
        assertEquals(0, c.server().recv(16).length, "recv on the server after the client's SHUT_RDWR must return the end of stream");
        assertEquals(0, c.client().recv(16).length, "recv on the client after its own SHUT_RDWR must return the end of stream");
        assertErrno(Errno.EPIPE, "send on the client after its own SHUT_RDWR", () -> c.client().send(new byte[] {1}));
        assertFalse(c.client().isClosed(), "isClosed() after shutdown(SHUT_RDWR): shutdown is not close");
        assertEquals(peer, c.client().getPeerName(), "getPeerName() of the client after its SHUT_RDWR");
    }

    @Contract(id = "stream.lifecycle.shutdown-unconnected-raises-enotconn",
            statement = "shutdown() on a socket that is not connected raises ENOTCONN.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void shutdownUnconnectedRaisesEnotconn(TckTarget t) throws Exception {
        Socket s = t.open();
        for (Shutdown how : Shutdown.values()) {
            assertErrno(Errno.ENOTCONN, "shutdown(" + how + ") on an unconnected socket", () -> {
                s.shutdown(how);
                return null;
            });
        }
    }

    @Contract(id = "stream.lifecycle.close-is-idempotent",
            statement = "close() may be called any number of times and never throws; isClosed() is then true.")
    void closeIsIdempotent(TckTarget t) throws Exception {
        Socket s = t.open();
        s.close();
        s.close();
        assertTrue(s.isClosed(), "isClosed() after close() of " + s);
        TckTarget.Connection c = t.connection();
        c.client().close();
        c.client().close();
        assertTrue(c.client().isClosed(), "isClosed() after two close() of a connected socket");
    }

    @Contract(id = "stream.lifecycle.listen-unbound-binds-a-free-port",
            statement = "listen() on an unbound AF_INET/AF_INET6 socket binds it to the wildcard address and a free port first.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void listenUnboundBindsAFreePort(TckTarget t) throws Exception {
        Socket s = t.open();
        s.listen(1);
        SocketAddress name = s.getSockName();
        assertTrue(name instanceof InetSocketAddress, "getSockName() after listen() must be an InetSocketAddress, got " + name);
        InetSocketAddress inet = (InetSocketAddress) name;
        assertNotEquals(0, inet.getPort(), "port of getSockName() after listen() on an unbound socket");
        assertTrue(inet.getAddress().isAnyLocalAddress(), "address of getSockName() after listen() on an unbound socket must be the wildcard, got " + inet);
        Socket client = t.open();
        SocketAddress loopback = new InetSocketAddress(((InetSocketAddress) t.bindAddress()).getAddress(), inet.getPort());
        client.connect(loopback);
        t.track(s.accept());
    }

    @Contract(id = "stream.lifecycle.connect-refused-raises-econnrefused",
            statement = "connect() to an address nobody listens on raises ECONNREFUSED, and the socket may connect again.")
    void connectRefusedRaisesEconnrefused(TckTarget t) throws Exception {
        SocketAddress refusing = t.refusingAddress();
        Socket s = t.open();
        io.jsock.SocketError e = assertErrno(Errno.ECONNREFUSED, "connect to " + refusing + " where nobody listens", () -> {
            s.connect(refusing);
            return null;
        });
        assertTrue(e.getMessage() != null && e.getMessage().contains("connect"), "message of the refused connect must name the call: " + e.getMessage());
        Socket listener = t.listener();
        s.connect(listener.getSockName());
        t.track(listener.accept());
        assertEquals(listener.getSockName(), s.getPeerName(), "getPeerName() after a refused then a good connect");
    }

    @Contract(id = "stream.lifecycle.connect-ex-returns-the-errno",
            statement = "connect_ex() returns 111 (ECONNREFUSED) where connect() would raise it, and 0 when it connects.")
    void connectExReturnsTheErrno(TckTarget t) throws Exception {
        SocketAddress refusing = t.refusingAddress();
        Socket s = t.open();
        assertEquals(Errno.ECONNREFUSED.code(), s.connectEx(refusing), "connectEx to " + refusing + " where nobody listens");
        Socket listener = t.listener();
        Socket other = t.open();
        assertEquals(0, other.connectEx(listener.getSockName()), "connectEx to a listening socket");
        t.track(listener.accept());
        assertEquals(Errno.EISCONN.code(), other.connectEx(listener.getSockName()), "connectEx on a connected socket");
    }

    @Contract(id = "stream.lifecycle.connect-twice-raises-eisconn",
            statement = "connect() on a connected socket raises EISCONN and leaves the connection working.")
    void connectTwiceRaisesEisconn(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        assertErrno(Errno.EISCONN, "a second connect() of a connected client", () -> {
            c.client().connect(c.listener().getSockName());
            return null;
        });
        c.client().sendAll(new byte[] {5});
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {5}, c.server().recv(1), "recv on the server after the client's failed second connect");
    }

    @Contract(id = "stream.lifecycle.sockets-create-server-and-connection",
            statement = "Sockets.createServer binds and listens, and Sockets.createConnection connects to it with the given timeout as its mode.",
            semantics = Semantics.STREAM)
    void socketsCreateServerAndConnection(TckTarget t) throws Exception {
        if (!t.isSocketsChoice()) {
            throw t.skip("Sockets.socket() does not open this triple with " + t.provider().name()
                    + ", so its module-level functions are another provider's to test.");
        }
        Socket server = t.track(Sockets.createServer(t.bindAddress()));
        assertEquals(t.open().getClass(), server.getClass(), "class of the socket from Sockets.createServer (the provider it picks is " + t.provider().name() + ")");
        Socket client = t.track(Sockets.createConnection(server.getSockName(), Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(3), client.getTimeout(), "getTimeout() of a socket from createConnection(address, 3 s)");
        Socket accepted = t.track(server.accept());
        assertEquals(client.getSockName(), accepted.getPeerName(), "createConnection's getSockName() vs the accepted peer");
        client.sendAll(new byte[] {1});
        accepted.setTimeout(LIMIT);
        assertArrayEquals(new byte[] {1}, accepted.recv(1), "recv on the socket accepted from createServer");
        SocketAddress refusing = t.refusingAddress();
        assertErrno(Errno.ECONNREFUSED, "Sockets.createConnection to " + refusing + " where nobody listens",
                () -> t.track(Sockets.createConnection(refusing, Duration.ofSeconds(3))));
    }

    @Contract(id = "stream.lifecycle.listen-zero-queues-one-connection",
            statement = "listen(0) is a backlog of 0, as Linux takes it: one connection waits for accept, and a second connect "
                    + "does not complete (TCP drops its SYN: the connect times out; AF_UNIX says EAGAIN).")
    void listenZeroQueuesOneConnection(TckTarget t) throws Exception {
        Socket listener = t.open();
        listener.bind(t.bindAddress());
        listener.listen(0);
        Socket first = t.open();
        first.setTimeout(LIMIT);
        first.connect(listener.getSockName());
        Socket second = t.open();
        second.setTimeout(Duration.ofMillis(300));
        SocketError e = assertThrows(SocketError.class, () -> second.connect(listener.getSockName()),
                "a second connect to a listen(0) socket whose one place is taken must not complete");
        assertTrue(e.errno() == Errno.ETIMEDOUT || e.errno() == Errno.EAGAIN,
                "errno of the second connect to a full listen(0) backlog: ETIMEDOUT (TCP) or EAGAIN (AF_UNIX), got " + e);
        listener.setTimeout(LIMIT);
        Socket accepted = t.track(listener.accept());
        assertEquals(first.getSockName(), accepted.getPeerName(), "the one queued connection is the first client's");
    }
}
