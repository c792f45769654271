package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.UnixAddress;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local and remote addresses of connection-oriented sockets: bind, getsockname, getpeername, repr, fileno. */
@ContractGroup(name = "addressing", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class AddressingContract {

    @Contract(id = "stream.addressing.sockname-after-bind-is-the-bound-address",
            statement = "getsockname() after bind() returns the address bound to, with the port the kernel chose for port 0.")
    void socknameAfterBindIsTheBoundAddress(TckTarget t) throws Exception {
        SocketAddress wanted = t.bindAddress();
        Socket s = t.open();
        s.bind(wanted);
        SocketAddress got = s.getSockName();
        if (wanted instanceof InetSocketAddress inet) {
            assertTrue(got instanceof InetSocketAddress, "getSockName() of a socket bound to " + wanted + " must be an InetSocketAddress, got " + got);
            InetSocketAddress g = (InetSocketAddress) got;
            assertEquals(inet.getAddress(), g.getAddress(), "address of getSockName() after bind(" + wanted + ")");
            assertTrue(g.getPort() > 0 && g.getPort() <= 65535, "port of getSockName() after bind to port 0 must be a real port, got " + g);
        } else {
            assertEquals(wanted, got, "getSockName() after bind(" + wanted + ")");
        }
        // binding the exact address reported must also work for a second socket once the first is gone
        s.close();
        if (wanted instanceof UnixAddress unix && !unix.isAbstract() && !unix.isUnnamed()) {
            Files.deleteIfExists(unix.path());
        }
        Socket again = t.open();
        again.bind(got);
        assertEquals(got, again.getSockName(), "getSockName() after bind(" + got + ") with an explicit port");
    }

    @Contract(id = "stream.addressing.peername-after-connect",
            statement = "getpeername() of a connected socket is the listener's address; the accepted side's is the client's address.")
    void peernameAfterConnect(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        assertEquals(c.listener().getSockName(), c.client().getPeerName(), "getPeerName() of the client vs the listener's getSockName()");
        assertEquals(c.client().getSockName(), c.server().getPeerName(), "getPeerName() of the accepted socket vs the client's getSockName()");
        assertEquals(c.listener().getSockName(), c.server().getSockName(), "getSockName() of the accepted socket vs the listener's getSockName()");
    }

    @Contract(id = "stream.addressing.peername-unconnected-raises-enotconn",
            statement = "getpeername() of a socket that is not connected raises ENOTCONN, bound or not, listening or not.")
    void peernameUnconnectedRaisesEnotconn(TckTarget t) throws Exception {
        Socket fresh = t.open();
        assertErrno(Errno.ENOTCONN, "getPeerName() of a new socket", fresh::getPeerName);
        Socket bound = t.bound();
        assertErrno(Errno.ENOTCONN, "getPeerName() of a bound socket", bound::getPeerName);
        Socket listener = t.listener();
        assertErrno(Errno.ENOTCONN, "getPeerName() of a listening socket", listener::getPeerName);
    }

    @Contract(id = "stream.addressing.bind-in-use-raises-eaddrinuse",
            statement = "bind() to an address another listening socket holds raises EADDRINUSE.")
    void bindInUseRaisesEaddrinuse(TckTarget t) throws Exception {
        Socket listener = t.listener();
        SocketAddress taken = listener.getSockName();
        Socket s = t.open();
        io.jsock.SocketError e = assertErrno(Errno.EADDRINUSE, "bind to " + taken + " which a listener holds", () -> {
            s.bind(taken);
            return null;
        });
        assertTrue(e.getMessage() != null && e.getMessage().contains("bind"), "message of the EADDRINUSE must name bind: " + e.getMessage());
        s.bind(t.bindAddress()); // the failed bind left the socket usable
    }

    @Contract(id = "stream.addressing.bind-twice-raises-einval",
            statement = "bind() of a socket that is already bound raises EINVAL.")
    void bindTwiceRaisesEinval(TckTarget t) throws Exception {
        Socket s = t.bound();
        SocketAddress before = s.getSockName();
        SocketAddress other = t.bindAddress();
        assertErrno(Errno.EINVAL, "a second bind() to " + other, () -> {
            s.bind(other);
            return null;
        });
        assertEquals(before, s.getSockName(), "getSockName() after a failed second bind");
    }

    @Contract(id = "stream.addressing.wrong-family-address-raises-iae",
            statement = "An address of another family is a caller's mistake: IllegalArgumentException before any I/O, and the socket stays usable.")
    void wrongFamilyAddressRaisesIae(TckTarget t) throws Exception {
        SocketAddress wrong;
        switch (t.family()) {
            case AF_INET:
                wrong = new InetSocketAddress(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), 0);
                break;
            case AF_INET6:
            case AF_UNIX:
                wrong = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
                break;
            default:
                throw t.skip("The TCK knows no address of another family to give a " + t.family() + " socket.");
        }
        Socket s = t.open();
        for (String call : new String[] {"bind", "connect", "connectEx"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                switch (call) {
                    case "bind" -> s.bind(wrong);
                    case "connect" -> s.connect(wrong);
                    default -> s.connectEx(wrong);
                }
            }, call + "(" + wrong + ") on a " + t.family() + " socket");
            assertTrue(e.getMessage() != null && e.getMessage().contains("address"), "message of " + call + "'s IllegalArgumentException must name the address: " + e.getMessage());
        }
        Socket listener = t.listener();
        s.connect(listener.getSockName());
        Socket server = t.track(listener.accept());
        s.sendAll(new byte[] {3});
        server.setTimeout(java.time.Duration.ofSeconds(5));
        assertArrayEquals(new byte[] {3}, server.recv(1), "recv from a socket that first got a wrong-family address");
    }

    @Contract(id = "stream.addressing.null-address-raises-npe",
            statement = "A null address is a caller's mistake: NullPointerException naming the address, before any I/O.")
    void nullAddressRaisesNpe(TckTarget t) throws Exception {
        Socket s = t.open();
        for (String call : new String[] {"bind", "connect", "connectEx"}) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> {
                switch (call) {
                    case "bind" -> s.bind(null);
                    case "connect" -> s.connect(null);
                    default -> s.connectEx(null);
                }
            }, call + "(null)");
            assertTrue(e.getMessage() != null && e.getMessage().contains("address"), "message of " + call + "(null)'s NullPointerException must name the address: " + e.getMessage());
        }
        s.bind(t.bindAddress());
    }

    @Contract(id = "stream.addressing.repr-reads-like-python",
            statement = "toString() reads like Python's repr: <socket fd=N, family=..., type=..., proto=..., laddr=..., raddr=...>, "
                    + "with IPv6 in RFC 5952 form as [::1]:port, and <socket [closed] fd=-1, ...> once closed.")
    void reprReadsLikePython(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.client();
        String repr = s.toString();
        String head = "<socket (fd=\\d+, )?family=" + t.family() + ", type=" + t.type() + ", proto=" + t.proto();
        assertTrue(Pattern.compile("^" + head + ".*>$").matcher(repr).matches(), "repr of a connected socket: " + repr);
        if (t.family() != AddressFamily.AF_UNIX) {
            assertTrue(repr.contains("laddr=" + describe(s.getSockName())), "repr of a connected socket must show laddr=" + describe(s.getSockName()) + ": " + repr);
        }
        assertTrue(repr.contains("raddr=" + describe(s.getPeerName())), "repr of a connected socket must show raddr=" + describe(s.getPeerName()) + ": " + repr);
        int fd = -1;
        try {
            fd = s.fileno();
        } catch (io.jsock.SocketError noFd) {
            // the descriptor is optional; the repr then leaves it out
        }
        if (fd >= 0) {
            assertTrue(repr.startsWith("<socket fd=" + fd + ", "), "repr must start with the descriptor fd=" + fd + ": " + repr);
        }
        Socket fresh = t.open();
        assertTrue(!fresh.toString().contains("raddr="), "repr of an unconnected socket must have no raddr: " + fresh);
        s.close();
        String closed = s.toString();
        assertTrue(Pattern.compile("^<socket \\[closed\\] fd=-1, family=" + t.family() + ", type=" + t.type() + ", proto=" + t.proto() + ">$")
                .matcher(closed).matches(), "repr of a closed socket: " + closed);
    }

    @Contract(id = "stream.addressing.fileno-is-a-real-descriptor",
            statement = "fileno() is the OS descriptor of the socket (/proc/self/fd/N links to socket:[...]) and -1 once closed; "
                    + "a provider that cannot reach it raises EOPNOTSUPP.")
    void filenoIsARealDescriptor(TckTarget t) throws Exception {
        Socket s = t.open();
        int fd = t.optional("fileno()", s::fileno);
        assertTrue(fd >= 0, "fileno() of an open socket must be >= 0, got " + fd);
        Socket other = t.open();
        int otherFd = other.fileno();
        assertNotEquals(fd, otherFd, "fileno() of two open sockets");
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            assertTrue(Files.isSymbolicLink(link), link + " must exist for fileno() " + fd);
            String target = Files.readSymbolicLink(link).toString();
            assertTrue(target.startsWith("socket:["), link + " of fileno() must be a socket, links to " + target);
        }
        s.close();
        assertEquals(-1, s.fileno(), "fileno() of a closed socket");
    }

    @Contract(id = "stream.addressing.fileno-unchanged-by-listen",
            statement = "listen() keeps the socket's descriptor: fileno() is the same number before and after it.")
    void filenoUnchangedByListen(TckTarget t) throws Exception {
        Socket s = t.open();
        s.bind(t.bindAddress());
        int before = t.optional("fileno()", s::fileno);
        s.listen(16);
        assertEquals(before, s.fileno(), "fileno() after listen() of the socket whose fileno() was " + before + " before");
    }

    @Contract(id = "stream.addressing.fileno-needs-no-jvm-flag",
            statement = "fileno() gives the socket's descriptor in a JVM started without any flag (no --add-opens).")
    void filenoNeedsNoJvmFlag(TckTarget t) throws Exception {
        Descriptors.assertFilenoInFlaglessJvm(t);
    }

    @Contract(id = "stream.addressing.descriptor-is-close-on-exec",
            statement = "Every descriptor of a socket is close-on-exec (O_CLOEXEC in /proc/self/fdinfo): the connecting, the listening and the accepted "
                    + "socket's, and both of socketpair()'s where the provider has it.")
    void descriptorIsCloseOnExec(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Descriptors.assertCloseOnExec(t, c.client(), "a connected socket");
        Descriptors.assertCloseOnExec(t, c.listener(), "a listening socket");
        Descriptors.assertCloseOnExec(t, c.server(), "an accepted socket");
        Descriptors.assertPairCloseOnExec(t);
    }

    /** Python's repr of a loopback address, literally: the TCK binds 127.0.0.1 and ::1 only. */
    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            byte[] a = inet.getAddress().getAddress();
            if (a.length == 4 && a[0] == 127 && a[1] == 0 && a[2] == 0 && a[3] == 1) {
                return "127.0.0.1:" + inet.getPort();
            }
            if (a.length == 16 && inet.getAddress().isLoopbackAddress()) {
                return "[::1]:" + inet.getPort(); // RFC 5952, as Python writes it; not Java's [0:0:0:0:0:0:0:1]
            }
            throw new AssertionError("the TCK talks on loopback only, got " + inet);
        }
        return String.valueOf(address);
    }
}
