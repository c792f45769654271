package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import static io.jsock.tck.TckTarget.assertErrno;
import static io.jsock.tck.contracts.DatagramSupport.LIMIT;
import static io.jsock.tck.contracts.DatagramSupport.boundPair;
import static io.jsock.tck.contracts.DatagramSupport.maxUdpPayload;
import static io.jsock.tck.contracts.DatagramSupport.random;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The errno of each failure of a datagram socket. */
@ContractGroup(name = "errors", appliesTo = Semantics.DATAGRAM)
public final class DatagramErrorContract {

    @Contract(id = "datagram.errors.send-unconnected-raises-edestaddrreq",
            statement = "send and sendall on an unconnected datagram socket raise EDESTADDRREQ.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void sendUnconnectedRaisesEdestaddrreq(TckTarget t) throws Exception {
        Socket s = t.bound();
        assertErrno(Errno.EDESTADDRREQ, "send on an unconnected datagram socket", () -> s.send(text("x")));
        assertErrno(Errno.EDESTADDRREQ, "sendall on an unconnected datagram socket", () -> {
            s.sendAll(text("x"));
            return null;
        });
    }

    @Contract(id = "datagram.errors.listen-and-accept-raise-eopnotsupp",
            statement = "listen and accept on a datagram socket raise EOPNOTSUPP.")
    void listenAndAcceptRaiseEopnotsupp(TckTarget t) throws Exception {
        Socket s = t.bound();
        assertErrno(Errno.EOPNOTSUPP, "listen on a datagram socket", () -> {
            s.listen(5);
            return null;
        });
        assertErrno(Errno.EOPNOTSUPP, "accept on a datagram socket", s::accept);
    }

    @Contract(id = "datagram.errors.calls-after-close-raise-ebadf",
            statement = "Every operation on a closed datagram socket raises EBADF.")
    void callsAfterCloseRaiseEbadf(TckTarget t) throws Exception {
        Socket s = t.bound();
        SocketAddress to = t.bound().getSockName();
        s.close();
        assertErrno(Errno.EBADF, "recv on a closed socket", () -> s.recv(1));
        assertErrno(Errno.EBADF, "recvfrom on a closed socket", () -> s.recvFrom(1));
        assertErrno(Errno.EBADF, "recvfrom_into on a closed socket", () -> s.recvFromInto(ByteBuffer.allocate(1)));
        assertErrno(Errno.EBADF, "sendto on a closed socket", () -> s.sendTo(text("x"), to));
        assertErrno(Errno.EBADF, "send on a closed socket", () -> s.send(text("x")));
        assertErrno(Errno.EBADF, "connect on a closed socket", () -> {
            s.connect(to);
            return null;
        });
        assertErrno(Errno.EBADF, "bind on a closed socket", () -> {
            s.bind(t.bindAddress());
            return null;
        });
        assertErrno(Errno.EBADF, "getsockname on a closed socket", s::getSockName);
        assertErrno(Errno.EBADF, "settimeout on a closed socket", () -> {
            s.setTimeout(Duration.ofSeconds(1));
            return null;
        });
    }

    @Contract(id = "datagram.errors.getpeername-unconnected-raises-enotconn",
            statement = "getpeername on an unconnected datagram socket raises ENOTCONN.")
    void getpeernameUnconnectedRaisesEnotconn(TckTarget t) throws Exception {
        Socket s = t.bound();
        assertErrno(Errno.ENOTCONN, "getpeername on an unconnected datagram socket", s::getPeerName);
    }

    @Contract(id = "datagram.errors.bind-in-use-raises-eaddrinuse",
            statement = "bind to an address another datagram socket is bound to raises EADDRINUSE.")
    void bindInUseRaisesEaddrinuse(TckTarget t) throws Exception {
        Socket first = t.bound();
        Socket second = t.open();
        assertErrno(Errno.EADDRINUSE, "bind to " + first.getSockName() + ", which another socket holds", () -> {
            second.bind(first.getSockName());
            return null;
        });
    }

    @Contract(id = "datagram.errors.largest-udp-payload-goes-one-more-raises-emsgsize",
            statement = "The largest UDP payload (65507 bytes over IPv4, 65527 over IPv6) is sent and received whole; "
                    + "one byte more raises EMSGSIZE.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void largestUdpPayloadGoesOneMoreRaisesEmsgsize(TckTarget t) throws Exception {
        Socket[] p = boundPair(t);
        int max = maxUdpPayload(t.family());
        byte[] largest = random(max, 7);
        assertEquals(max, p[0].sendTo(largest, p[1].getSockName()), "sendto of the largest payload (" + max + " bytes)");
        assertArrayEquals(largest, p[1].recv(70_000), "the largest payload received");
        assertErrno(Errno.EMSGSIZE, "sendto of " + (max + 1) + " bytes over " + t.family(),
                () -> p[0].sendTo(new byte[max + 1], p[1].getSockName()));
        p[0].connect(p[1].getSockName());
        assertErrno(Errno.EMSGSIZE, "send of " + (max + 1) + " bytes on a connected socket", () -> p[0].send(new byte[max + 1]));
    }

    @Contract(id = "datagram.errors.connected-to-closed-port-raises-econnrefused",
            statement = "A connected UDP socket whose peer port is closed reports ECONNREFUSED on a following call (the ICMP "
                    + "port unreachable), once; the socket stays usable.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void connectedToClosedPortRaisesEconnrefused(TckTarget t) throws Exception {
        Socket s = t.bound();
        s.connect(t.refusingAddress());
        s.setTimeout(LIMIT);
        s.send(text("anyone?"));
        // the ICMP error lands asynchronously; the recv that waits for it reports it
        assertErrno(Errno.ECONNREFUSED, "recv after sending to a closed port", () -> s.recv(100));
        s.setTimeout(Duration.ofMillis(100));
        assertErrno(Errno.ETIMEDOUT, "recv once the error was reported (it is reported once)", () -> s.recv(100));
    }

    @Contract(id = "datagram.errors.unconnected-socket-ignores-port-unreachable",
            statement = "An unconnected UDP socket that sent to a closed port gets no error: sendto succeeds and recvfrom keeps waiting.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void unconnectedSocketIgnoresPortUnreachable(TckTarget t) throws Exception {
        Socket s = t.bound();
        SocketAddress closed = t.refusingAddress();
        assertEquals(1, s.sendTo(text("x"), closed), "sendto a closed port");
        s.setTimeout(Duration.ofMillis(200));
        assertErrno(Errno.ETIMEDOUT, "recvfrom on the unconnected socket after sending to a closed port", () -> s.recvFrom(10));
        assertEquals(1, s.sendTo(text("y"), closed), "a second sendto a closed port");
    }

    @Contract(id = "datagram.errors.sendto-port-zero-raises-einval",
            statement = "sendto port 0 raises EINVAL.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void sendtoPortZeroRaisesEinval(TckTarget t) throws Exception {
        Socket s = t.bound();
        InetSocketAddress self = (InetSocketAddress) s.getSockName();
        assertErrno(Errno.EINVAL, "sendto " + self.getAddress().getHostAddress() + " port 0",
                () -> s.sendTo(text("x"), new InetSocketAddress(self.getAddress(), 0)));
    }

    @Contract(id = "datagram.errors.broadcast-without-so-broadcast-raises-eacces",
            statement = "sendto the IPv4 broadcast address without SO_BROADCAST raises EACCES.",
            families = AddressFamily.AF_INET)
    void broadcastWithoutSoBroadcastRaisesEacces(TckTarget t) throws Exception {
        Socket s = t.open();
        assertErrno(Errno.EACCES, "sendto 255.255.255.255 without SO_BROADCAST",
                () -> s.sendTo(text("x"), new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {-1, -1, -1, -1}), 9)));
    }

    @Contract(id = "datagram.errors.errno-same-under-every-locale",
            statement = "A failing call raises the same errno whatever the locale: a JVM under LANG=de_DE.UTF-8 or ja_JP.UTF-8 gets "
                    + "the errnos it gets under LANG=C for a foreign and a taken address, an oversized datagram and an unreachable port "
                    + "(AF_UNIX: a missing path, a file in the way, nobody serving).")
    void errnoSameUnderEveryLocale(TckTarget t) throws Exception {
        LocaleErrnos.assertSameUnderEveryLocale(t);
    }
}
