package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.PeerCredentials;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.UnixAddress;
import io.jsock.UnixOptions;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What AF_UNIX adds to every socket type (Linux, as CPython shows it): path, abstract and unnamed
 * names, the socket file's life (bind never deletes or changes a file, close leaves the socket
 * file), the errors of connect, the length limit of {@code sun_path}, socketpair and peer
 * credentials.
 */
@ContractGroup(name = "unix", appliesTo = {Semantics.STREAM, Semantics.DATAGRAM, Semantics.RELIABLE_MESSAGE},
        families = AddressFamily.AF_UNIX)
public final class UnixContract {
    private static final AtomicInteger ABSTRACT_NAMES = new AtomicInteger();
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    // ---- names ----------------------------------------------------------------------------

    @Contract(id = "unix.addressing.bind-path-makes-socket-file",
            statement = "bind to a path makes a socket file there, and getsockname returns that path.")
    void bindPathMakesSocketFile(TckTarget t) throws Exception {
        Path path = t.newSocketPath();
        Socket s = t.open();
        s.bind(UnixAddress.of(path));
        assertEquals(UnixAddress.of(path), s.getSockName(), "getsockname after bind to " + path);
        assertTrue(isSocketFile(path), "bind must make a socket file at " + path);
    }

    @Contract(id = "unix.addressing.unix-domain-socket-address-accepted",
            statement = "A java.net.UnixDomainSocketAddress names the same path as a UnixAddress.")
    void unixDomainSocketAddressAccepted(TckTarget t) throws Exception {
        Path path = t.newSocketPath();
        Socket s = t.open();
        s.bind(UnixDomainSocketAddress.of(path));
        assertEquals(UnixAddress.of(path), s.getSockName(), "getsockname after bind to a UnixDomainSocketAddress");
    }

    @Contract(id = "unix.addressing.unbound-socket-is-unnamed",
            statement = "getsockname of a socket that never bound returns the unnamed address (Python's '').")
    void unboundSocketIsUnnamed(TckTarget t) throws Exception {
        Socket s = t.open();
        SocketAddress name = s.getSockName();
        assertTrue(name instanceof UnixAddress u && u.isUnnamed(), "getsockname of an unbound socket: " + name);
    }

    @Contract(id = "unix.addressing.unbound-peer-is-unnamed",
            statement = "The peer that never bound is unnamed on the other side: accept's address and getpeername "
                    + "for a connection; for a datagram recvfrom gives no sender (null, CPython's None); the unbound side sees the bound name.")
    void unboundPeerIsUnnamed(TckTarget t) throws Exception {
        if (t.semantics() == Semantics.DATAGRAM) {
            Socket receiver = t.bound();
            Socket sender = t.open();
            sender.sendTo("hi".getBytes(StandardCharsets.US_ASCII), receiver.getSockName());
            receiver.setTimeout(java.time.Duration.ofSeconds(5));
            Datagram d = receiver.recvFrom(16);
            assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), d.data(), "datagram from an unbound sender");
            assertEquals(null, d.address(), "recvfrom's sender for an unbound sender: the kernel gives no address (CPython: None)");
            return;
        }
        Socket listener = t.listener();
        Socket client = t.open();
        client.connect(listener.getSockName());
        io.jsock.Accepted accepted = listener.accept();
        Socket server = t.track(accepted);
        assertTrue(accepted.address() instanceof UnixAddress u && u.isUnnamed(), "accept's address of an unbound client: " + accepted.address());
        assertTrue(server.getPeerName() instanceof UnixAddress u && u.isUnnamed(), "server side getpeername: " + server.getPeerName());
        assertTrue(client.getSockName() instanceof UnixAddress u && u.isUnnamed(), "unbound client getsockname: " + client.getSockName());
        assertEquals(listener.getSockName(), client.getPeerName(), "client getpeername is the listener's path");
    }

    @Contract(id = "unix.addressing.abstract-name-exchange",
            statement = "A Linux abstract name binds without a file, getsockname returns it, and a peer reaches it by that name.")
    void abstractNameExchange(TckTarget t) throws Exception {
        UnixAddress name = uniqueAbstractName();
        Socket server = t.open();
        t.optional("abstract names", () -> {
            server.bind(name);
            return null;
        });
        assertEquals(name, server.getSockName(), "getsockname after bind to " + name);
        byte[] payload = "abstract".getBytes(StandardCharsets.US_ASCII);
        Socket client = t.open();
        client.setTimeout(java.time.Duration.ofSeconds(5));
        server.setTimeout(java.time.Duration.ofSeconds(5));
        if (t.semantics() == Semantics.DATAGRAM) {
            client.sendTo(payload, name);
            assertArrayEquals(payload, server.recv(64), "datagram sent to " + name);
            return;
        }
        server.listen(4);
        client.connect(name);
        assertEquals(name, client.getPeerName(), "client getpeername after connecting to " + name);
        Socket accepted = t.track(server.accept());
        client.sendAll(payload);
        assertArrayEquals(payload, accepted.recv(64), "bytes over a connection to " + name);
    }

    @Contract(id = "unix.addressing.abstract-name-vanishes-after-close",
            statement = "An abstract name is free again once its socket closes: no file stays behind to remove.")
    void abstractNameVanishesAfterClose(TckTarget t) throws Exception {
        UnixAddress name = uniqueAbstractName();
        Socket first = t.open();
        t.optional("abstract names", () -> {
            first.bind(name);
            return null;
        });
        Socket taken = t.open();
        SocketError inUse = assertThrows(SocketError.class, () -> taken.bind(name), "bind to a live abstract name");
        assertEquals(Errno.EADDRINUSE, inUse.errno(), "errno of bind to a live abstract name: " + inUse);
        first.close();
        Socket second = t.open();
        second.bind(name);
        assertEquals(name, second.getSockName(), "getsockname after binding the freed name " + name);
    }

    @Contract(id = "unix.addressing.abstract-name-too-long-enametoolong",
            statement = "An abstract name of more than 107 bytes is refused with ENAMETOOLONG before any system call.")
    void abstractNameTooLong(TckTarget t) throws Exception {
        Socket s = t.open();
        SocketError e = assertThrows(SocketError.class, () -> s.bind(UnixAddress.abstractName("a".repeat(108))),
                "bind to a 108-byte abstract name");
        assertEquals(Errno.ENAMETOOLONG, e.errno(), "errno of a too-long abstract name: " + e);
    }

    // ---- the socket file ------------------------------------------------------------------

    @Contract(id = "unix.bind.existing-regular-file-eaddrinuse-untouched",
            statement = "bind to the path of an existing regular file fails with EADDRINUSE and leaves the file as it was.")
    void bindOverRegularFile(TckTarget t) throws Exception {
        Path path = t.newSocketPath();
        Files.writeString(path, "precious");
        Socket s = t.open();
        SocketError e = assertThrows(SocketError.class, () -> s.bind(UnixAddress.of(path)), "bind over a regular file");
        assertEquals(Errno.EADDRINUSE, e.errno(), "errno of bind over a regular file: " + e);
        assertTrue(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS), "the regular file must still be there");
        assertEquals("precious", Files.readString(path), "the regular file's content must be unchanged");
    }

    @Contract(id = "unix.bind.existing-directory-eaddrinuse-untouched",
            statement = "bind to the path of an existing directory fails with EADDRINUSE and leaves the directory and its content.")
    void bindOverDirectory(TckTarget t) throws Exception {
        Path path = t.newSocketPath();
        Files.createDirectory(path);
        Files.writeString(path.resolve("inside"), "kept");
        Socket s = t.open();
        SocketError e = assertThrows(SocketError.class, () -> s.bind(UnixAddress.of(path)), "bind over a directory");
        assertEquals(Errno.EADDRINUSE, e.errno(), "errno of bind over a directory: " + e);
        assertTrue(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS), "the directory must still be there");
        assertEquals("kept", Files.readString(path.resolve("inside")), "the directory's content must be unchanged");
    }

    @Contract(id = "unix.bind.live-socket-eaddrinuse-untouched",
            statement = "bind to the path of a live socket fails with EADDRINUSE, and the live socket still gets what is sent to it.")
    void bindOverLiveSocket(TckTarget t) throws Exception {
        Socket live = t.semantics() == Semantics.DATAGRAM ? t.bound() : t.listener();
        UnixAddress name = (UnixAddress) live.getSockName();
        Socket s = t.open();
        SocketError e = assertThrows(SocketError.class, () -> s.bind(name), "bind over a live socket");
        assertEquals(Errno.EADDRINUSE, e.errno(), "errno of bind over a live socket: " + e);
        assertTrue(isSocketFile(name.path()), "the live socket's file must still be there");
        Socket peer = t.open();
        live.setTimeout(java.time.Duration.ofSeconds(5));
        if (t.semantics() == Semantics.DATAGRAM) {
            peer.sendTo(new byte[] {7}, name);
            assertArrayEquals(new byte[] {7}, live.recv(4), "the live socket must still receive");
        } else {
            peer.connect(name);
            t.track(live.accept());
        }
    }

    @Contract(id = "unix.bind.close-leaves-socket-file",
            statement = "close() leaves the socket file that bind made, as BSD does.")
    void closeLeavesSocketFile(TckTarget t) throws Exception {
        Path path = t.newSocketPath();
        Socket s = t.open();
        s.bind(UnixAddress.of(path));
        s.close();
        assertTrue(isSocketFile(path), "the socket file must stay after close: " + path);
    }

    @Contract(id = "unix.bind.longest-path-fits",
            statement = "A path of exactly 107 bytes binds, and getsockname returns it whole.")
    void longestPathFits(TckTarget t) throws Exception {
        Path dir = t.tempDir();
        int room = UnixAddress.MAX_PATH_BYTES - 1 - dir.toString().getBytes(StandardCharsets.UTF_8).length - 1;
        if (room < 1) {
            throw t.skip("The temporary folder's path " + dir + " leaves no room for a 107-byte socket path.");
        }
        Path path = dir.resolve("p".repeat(room));
        assertEquals(UnixAddress.MAX_PATH_BYTES - 1, path.toString().getBytes(StandardCharsets.UTF_8).length, "test path length");
        Socket s = t.open();
        s.bind(UnixAddress.of(path));
        assertEquals(UnixAddress.of(path), s.getSockName(), "getsockname of a 107-byte path");
    }

    @Contract(id = "unix.bind.path-too-long-enametoolong",
            statement = "A path of more than 107 bytes is refused with ENAMETOOLONG, a message saying it is too long, "
                    + "and no file is made.")
    void pathTooLong(TckTarget t) throws Exception {
        Path dir = t.tempDir();
        int room = UnixAddress.MAX_PATH_BYTES - dir.toString().getBytes(StandardCharsets.UTF_8).length - 1;
        Path path = dir.resolve("q".repeat(Math.max(room, 1)));
        Socket s = t.open();
        SocketError bind = assertThrows(SocketError.class, () -> s.bind(UnixAddress.of(path)), "bind to a 108-byte path");
        assertEquals(Errno.ENAMETOOLONG, bind.errno(), "errno of bind to a too-long path: " + bind);
        assertTrue(bind.getMessage().contains("too long"), "the message must say the path is too long: " + bind.getMessage());
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "no file may be made for a refused path");
        SocketError connect = assertThrows(SocketError.class, () -> s.connect(UnixAddress.of(path)), "connect to a 108-byte path");
        assertEquals(Errno.ENAMETOOLONG, connect.errno(), "errno of connect to a too-long path: " + connect);
    }

    // ---- lifecycle: where Linux answers AF_UNIX otherwise than inet ---------------------------

    @Contract(id = "unix.lifecycle.shutdown-unconnected-succeeds",
            statement = "shutdown() of an unconnected AF_UNIX socket succeeds for every how, as Linux and CPython answer "
                    + "(an inet socket raises ENOTCONN).")
    void shutdownUnconnectedSucceeds(TckTarget t) throws Exception {
        Socket s = t.open();
        for (Shutdown how : Shutdown.values()) {
            s.shutdown(how);
        }
        assertFalse(s.isClosed(), "shutdown is not close");
    }

    @Contract(id = "unix.lifecycle.listen-unbound-raises-einval",
            statement = "listen() on an unbound AF_UNIX socket raises EINVAL: no name is bound for it, as an inet socket gets a port.",
            semantics = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
    void listenUnboundRaisesEinval(TckTarget t) throws Exception {
        Socket s = t.open();
        SocketError e = assertThrows(SocketError.class, () -> s.listen(1), "listen on an unbound AF_UNIX socket");
        assertEquals(Errno.EINVAL, e.errno(), "errno of listen on an unbound AF_UNIX socket: " + e);
    }

    // ---- connect --------------------------------------------------------------------------

    @Contract(id = "unix.connect.missing-path-enoent",
            statement = "connect to a path where no file is fails with ENOENT.")
    void connectMissingPath(TckTarget t) throws Exception {
        Socket s = t.open();
        SocketError e = assertThrows(SocketError.class, () -> s.connect(UnixAddress.of(t.newSocketPath())), "connect to a missing path");
        assertEquals(Errno.ENOENT, e.errno(), "errno of connect to a missing path: " + e);
    }

    @Contract(id = "unix.connect.nobody-listening-econnrefused",
            statement = "connect to a socket file nobody serves (bound but not listening, or closed) fails with ECONNREFUSED.")
    void connectNobodyListening(TckTarget t) throws Exception {
        Socket s = t.open();
        if (t.semantics() != Semantics.DATAGRAM) {
            SocketAddress bound = t.refusingAddress();
            SocketError e = assertThrows(SocketError.class, () -> s.connect(bound), "connect to a bound, not listening socket");
            assertEquals(Errno.ECONNREFUSED, e.errno(), "errno of connect to a socket nobody listens on: " + e);
        }
        Socket gone = t.bound();
        SocketAddress stale = gone.getSockName();
        gone.close();
        SocketError e = assertThrows(SocketError.class, () -> s.connect(stale), "connect to a closed socket's file");
        assertEquals(Errno.ECONNREFUSED, e.errno(), "errno of connect to a stale socket file: " + e);
    }

    @Contract(id = "unix.connect.datagram-connect-then-send",
            statement = "A datagram socket connected with connect(2) sends with send() to its peer, and getpeername names it; "
                    + "send before connect fails with ENOTCONN, as Linux says for AF_UNIX.",
            semantics = Semantics.DATAGRAM)
    void datagramConnectThenSend(TckTarget t) throws Exception {
        Socket receiver = t.bound();
        Socket sender = t.open();
        SocketError unconnected = assertThrows(SocketError.class, () -> sender.send(new byte[] {1}), "send before connect");
        assertEquals(Errno.ENOTCONN, unconnected.errno(), "errno of send on an unconnected AF_UNIX datagram socket: " + unconnected);
        sender.connect(receiver.getSockName());
        assertEquals(receiver.getSockName(), sender.getPeerName(), "getpeername after connect");
        assertEquals(3, sender.send(new byte[] {1, 2, 3}), "bytes sent by send() on a connected datagram socket");
        receiver.setTimeout(java.time.Duration.ofSeconds(5));
        assertArrayEquals(new byte[] {1, 2, 3}, receiver.recv(16), "datagram sent after connect");
    }

    // ---- socketpair and credentials -------------------------------------------------------

    @Contract(id = "unix.socketpair.pair-talks-both-ways",
            statement = "socketpair gives two connected, unnamed sockets of the type; what one sends the other receives.")
    void socketPairTalksBothWays(TckTarget t) throws Exception {
        SocketPair pair = t.optional("socketpair", () -> t.provider().openPair(t.family(), t.type()));
        t.track(pair.first());
        t.track(pair.second());
        assertEquals(t.type(), pair.first().type(), "type of the pair's first socket");
        assertTrue(pair.first().getSockName() instanceof UnixAddress u && u.isUnnamed(), "getsockname of a socketpair socket");
        pair.first().setTimeout(java.time.Duration.ofSeconds(5));
        pair.second().setTimeout(java.time.Duration.ofSeconds(5));
        pair.first().sendAll(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, pair.second().recv(16), "first -> second");
        pair.second().sendAll(new byte[] {3});
        assertArrayEquals(new byte[] {3}, pair.first().recv(16), "second -> first");
        pair.second().close();
        if (t.semantics() != Semantics.DATAGRAM) {
            assertEquals(0, pair.first().recv(16).length, "end of stream after the other end closed");
        }
    }

    @Contract(id = "unix.options.peer-credentials-are-this-process",
            statement = "SO_PEERCRED on a connected socket gives the peer's pid, uid and gid: here this very process.")
    void peerCredentialsAreThisProcess(TckTarget t) throws Exception {
        Socket end;
        if (t.semantics() == Semantics.DATAGRAM) {
            SocketPair pair = t.optional("socketpair", () -> t.provider().openPair(t.family(), t.type()));
            t.track(pair.first());
            t.track(pair.second());
            end = pair.first();
        } else {
            end = t.connection().server();
        }
        if (!end.supportedOptions().contains(UnixOptions.SO_PEERCRED)) {
            throw t.skip("SO_PEERCRED is not supported.");
        }
        PeerCredentials c = end.getOption(UnixOptions.SO_PEERCRED);
        Path self = Path.of("/proc/self");
        assertEquals(ProcessHandle.current().pid(), c.pid(), "pid of SO_PEERCRED");
        if (Files.exists(self)) {
            assertEquals(((Number) Files.getAttribute(self, "unix:uid")).intValue(), c.uid(), "uid of SO_PEERCRED");
            assertEquals(((Number) Files.getAttribute(self, "unix:gid")).intValue(), c.gid(), "gid of SO_PEERCRED");
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static UnixAddress uniqueAbstractName() {
        return UnixAddress.abstractName("jsock-tck-" + ProcessHandle.current().pid() + "-" + ABSTRACT_NAMES.incrementAndGet()
                + "-" + System.nanoTime());
    }

    private static boolean isSocketFile(Path path) throws java.io.IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
        return (mode & S_IFMT) == S_IFSOCK;
    }
}
