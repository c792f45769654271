package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.UnixAddress;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static io.jsock.tck.TckTarget.assertErrno;
import static io.jsock.tck.contracts.DatagramSupport.LIMIT;
import static io.jsock.tck.contracts.DatagramSupport.boundPair;
import static io.jsock.tck.contracts.DatagramSupport.connected;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Open, bind, connect (a default peer, not a connection), shutdown and close of datagram sockets. */
@ContractGroup(name = "lifecycle", appliesTo = Semantics.DATAGRAM)
public final class DatagramLifecycleContract {
    private static final long PROMPT_NANOS = DatagramSupport.PROMPT.toNanos();

    @Contract(id = "datagram.lifecycle.open-reports-its-triple",
            statement = "A new datagram socket reports the family, type and protocol it was opened with, and is in blocking mode.")
    void openReportsItsTriple(TckTarget t) throws Exception {
        Socket s = t.open();
        assertEquals(t.family(), s.family(), "family of " + s);
        assertEquals(t.type(), s.type(), "type of " + s);
        assertEquals(t.proto(), s.proto(), "proto of " + s);
        assertNull(s.getTimeout(), "getTimeout() of a new socket");
        assertTrue(s.getBlocking(), "getBlocking() of a new socket");
    }

    @Contract(id = "datagram.lifecycle.unbound-sockname-is-wildcard-or-unnamed",
            statement = "getsockname of an unbound datagram socket is the wildcard address with port 0 (inet) or the unnamed address (AF_UNIX).")
    void unboundSocknameIsWildcardOrUnnamed(TckTarget t) throws Exception {
        SocketAddress name = t.open().getSockName();
        if (name instanceof InetSocketAddress inet) {
            assertTrue(inet.getAddress().isAnyLocalAddress(), "getsockname of an unbound socket must be the wildcard address, got " + name);
            assertEquals(0, inet.getPort(), "port of an unbound socket's getsockname");
        } else if (name instanceof UnixAddress unix) {
            assertTrue(unix.isUnnamed(), "getsockname of an unbound AF_UNIX socket must be unnamed, got " + name);
        } else {
            throw t.skip("The TCK knows no rule for the name of an unbound " + t.family() + " socket (" + name + ").");
        }
    }

    @Contract(id = "datagram.lifecycle.bind-gives-the-address",
            statement = "After bind, getsockname is the address bound to, with the kernel's port where port 0 was asked for.")
    void bindGivesTheAddress(TckTarget t) throws Exception {
        Socket s = t.open();
        SocketAddress asked = t.bindAddress();
        s.bind(asked);
        SocketAddress name = s.getSockName();
        if (asked instanceof InetSocketAddress inet) {
            InetSocketAddress got = (InetSocketAddress) name;
            assertEquals(inet.getAddress(), got.getAddress(), "address of getsockname after bind(" + asked + ")");
            assertNotEquals(0, got.getPort(), "getsockname after bind to port 0 must show the port the kernel chose");
        } else {
            assertEquals(asked, name, "getsockname after bind(" + asked + ")");
        }
    }

    @Contract(id = "datagram.lifecycle.bind-twice-raises-einval",
            statement = "bind on a socket that is already bound raises EINVAL.")
    void bindTwiceRaisesEinval(TckTarget t) throws Exception {
        Socket s = t.bound();
        assertErrno(Errno.EINVAL, "a second bind", () -> {
            s.bind(t.bindAddress());
            return null;
        });
    }

    @Contract(id = "datagram.lifecycle.connect-sets-the-default-peer",
            statement = "connect on a datagram socket sets its peer: getpeername returns it, and send and recv talk to it; "
                    + "before connect getpeername raises ENOTCONN.")
    void connectSetsTheDefaultPeer(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        assertErrno(Errno.ENOTCONN, "getpeername of an unconnected datagram socket", p[0]::getPeerName);
        p[0].connect(p[1].getSockName());
        assertEquals(p[1].getSockName(), p[0].getPeerName(), "getpeername after connect");
        assertEquals(3, p[0].send(text("abc")), "send to the connected peer returns the datagram's length");
        Datagram d = p[1].recvFrom(100);
        assertArrayEquals(text("abc"), d.data(), "the datagram send delivered");
        assertEquals(p[0].getSockName(), d.address(), "sender address of the datagram send delivered");
        p[1].sendTo(text("back"), p[0].getSockName());
        assertArrayEquals(text("back"), p[0].recv(100), "recv on the connected socket gets the peer's datagram");
    }

    @Contract(id = "datagram.lifecycle.connect-again-changes-the-peer",
            statement = "A connected datagram socket may connect again: its peer becomes the new address.")
    void connectAgainChangesThePeer(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        Socket third = t.bound();
        third.setTimeout(LIMIT);
        p[0].connect(p[1].getSockName());
        p[0].connect(third.getSockName());
        assertEquals(third.getSockName(), p[0].getPeerName(), "getpeername after the second connect");
        p[0].send(text("to the third"));
        assertArrayEquals(text("to the third"), third.recv(100), "send after the second connect reaches the new peer");
    }

    @Contract(id = "datagram.lifecycle.sendto-binds-an-unbound-socket",
            statement = "sendto from an unbound inet datagram socket binds it to a free port, which the receiver sees as the sender's.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void sendtoBindsAnUnboundSocket(TckTarget t) throws Exception {
        Socket receiver = boundPair(t)[0];
        Socket sender = t.open();
        sender.sendTo(text("hi"), receiver.getSockName());
        int port = ((InetSocketAddress) sender.getSockName()).getPort();
        assertNotEquals(0, port, "getsockname's port after sendto from an unbound socket");
        Datagram d = receiver.recvFrom(100);
        assertEquals(port, ((InetSocketAddress) d.address()).getPort(), "sender port the receiver sees");
    }

    @Contract(id = "datagram.lifecycle.shutdown-unconnected-raises-enotconn",
            statement = "shutdown on an unconnected datagram socket raises ENOTCONN.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void shutdownUnconnectedRaisesEnotconn(TckTarget t) throws Exception {
        Socket s = t.bound();
        assertErrno(Errno.ENOTCONN, "shutdown(SHUT_RDWR) of an unconnected datagram socket", () -> {
            s.shutdown(Shutdown.SHUT_RDWR);
            return null;
        });
    }

    @Contract(id = "datagram.lifecycle.shutdown-wr-then-send-raises-epipe",
            statement = "After shutdown(SHUT_WR) of a connected datagram socket, send and sendto raise EPIPE, and it still receives.")
    void shutdownWrThenSendRaisesEpipe(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        c.client().shutdown(Shutdown.SHUT_WR);
        assertErrno(Errno.EPIPE, "send after SHUT_WR", () -> c.client().send(text("x")));
        assertErrno(Errno.EPIPE, "sendto after SHUT_WR", () -> c.client().sendTo(text("x"), c.server().getSockName()));
        c.server().send(text("still"));
        assertArrayEquals(text("still"), c.client().recv(100), "recv after SHUT_WR still gets the peer's datagram");
    }

    @Contract(id = "datagram.lifecycle.shutdown-rd-gives-queued-datagrams-then-empty",
            statement = "After shutdown(SHUT_RD) of a connected datagram socket, a blocking recvfrom returns the datagrams still "
                    + "queued, then at once an empty datagram with no address; send still works.")
    void shutdownRdGivesQueuedDatagramsThenEmpty(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        c.client().send(text("queued"));
        c.server().shutdown(Shutdown.SHUT_RD);
        c.server().setTimeout(null);
        Datagram[] first = new Datagram[1];
        // delivery on loopback may trail the send by a moment; until it lands, recvfrom returns the empty datagram
        TckTarget.await("the queued datagram after SHUT_RD", LIMIT, () -> {
            try {
                first[0] = c.server().recvFrom(100);
                return first[0].data().length > 0;
            } catch (io.jsock.SocketError e) {
                throw new AssertionError("recvfrom after SHUT_RD raised " + e, e);
            }
        });
        assertArrayEquals(text("queued"), first[0].data(), "the datagram queued before SHUT_RD");
        long start = System.nanoTime();
        Datagram empty = c.server().recvFrom(100);
        assertEquals(0, empty.data().length, "recvfrom after SHUT_RD with nothing queued must return no bytes");
        assertNull(empty.address(), "recvfrom after SHUT_RD with nothing queued must return no address");
        assertTrue(System.nanoTime() - start < PROMPT_NANOS, "recvfrom after SHUT_RD with nothing queued must not wait");
        c.server().send(text("out"));
        assertArrayEquals(text("out"), c.client().recv(100), "send after SHUT_RD");
    }

    @Contract(id = "datagram.lifecycle.close-is-idempotent",
            statement = "close() may be called any number of times and never throws; isClosed() is then true and fileno() -1.")
    void closeIsIdempotent(TckTarget t) throws Exception {
        Socket s = t.bound();
        s.close();
        s.close();
        assertTrue(s.isClosed(), "isClosed() after close()");
        assertEquals(-1, s.fileno(), "fileno() after close()");
    }

    @Contract(id = "datagram.lifecycle.fileno-needs-no-jvm-flag",
            statement = "fileno() gives the datagram socket's descriptor in a JVM started without any flag (no --add-opens).")
    void filenoNeedsNoJvmFlag(TckTarget t) throws Exception {
        Descriptors.assertFilenoInFlaglessJvm(t);
    }

    @Contract(id = "datagram.lifecycle.descriptor-is-close-on-exec",
            statement = "Every descriptor of a datagram socket is close-on-exec (O_CLOEXEC in /proc/self/fdinfo): the new socket's, "
                    + "and both of socketpair()'s where the provider has it.")
    void descriptorIsCloseOnExec(TckTarget t) throws Exception {
        Descriptors.assertCloseOnExec(t, t.bound(), "a new datagram socket");
        Descriptors.assertPairCloseOnExec(t);
    }

    @Contract(id = "datagram.lifecycle.close-frees-the-address",
            statement = "Once a bound datagram socket is closed, a new socket can bind its inet address.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void closeFreesTheAddress(TckTarget t) throws Exception {
        Socket s = t.bound();
        SocketAddress name = s.getSockName();
        s.close();
        Socket again = t.open();
        again.bind(name);
        assertEquals(name, again.getSockName(), "getsockname of the socket bound to the closed one's address");
        assertFalse(again.isClosed(), "isClosed() of the new socket");
    }
}
