package io.jsock.datagram;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the datagram provider adds to the TCK: its triples, discovery, fileno, repr, and where it follows the JDK. */
class UdpSocketTest {
    private final DatagramProvider provider = new DatagramProvider();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeAll() {
        sockets.forEach(Socket::close);
    }

    private Socket udp(AddressFamily family) throws SocketError {
        Socket s = provider.open(family, SocketType.SOCK_DGRAM, Protocols.DEFAULT);
        sockets.add(s);
        return s;
    }

    private Socket bound() throws Exception {
        Socket s = udp(AddressFamily.AF_INET);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        s.setTimeout(Duration.ofSeconds(10));
        return s;
    }

    @Test
    void supportsUdpOverInetOnly() throws Exception {
        assertTrue(provider.supports(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0), "AF_INET SOCK_DGRAM 0");
        assertTrue(provider.supports(AddressFamily.AF_INET6, SocketType.SOCK_DGRAM, Protocols.IPPROTO_UDP), "AF_INET6 SOCK_DGRAM IPPROTO_UDP");
        assertFalse(provider.supports(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0), "AF_INET SOCK_STREAM");
        assertFalse(provider.supports(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0), "AF_UNIX SOCK_DGRAM");
        assertFalse(provider.supports(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocols.IPPROTO_TCP), "AF_INET SOCK_DGRAM IPPROTO_TCP");
        assertEquals(Errno.EPROTONOSUPPORT, assertThrows(SocketError.class,
                () -> provider.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocols.IPPROTO_TCP)).errno(), "open with IPPROTO_TCP");
        assertEquals(Errno.EAFNOSUPPORT, assertThrows(SocketError.class,
                () -> provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0)).errno(), "open AF_UNIX");
        assertEquals(Errno.ESOCKTNOSUPPORT, assertThrows(SocketError.class,
                () -> provider.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)).errno(), "open SOCK_STREAM");
    }

    @Test
    void socketsFindsTheProvider() throws Exception {
        assertTrue(Sockets.providers().stream().anyMatch(p -> p.name().equals("datagram")), "providers() lists datagram");
        Socket s = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
        sockets.add(s);
        assertEquals(SocketType.SOCK_DGRAM, s.type(), "type of Sockets.socket(AF_INET, SOCK_DGRAM)");
        assertTrue(s.getClass().getName().startsWith("io.jsock.core."), "Sockets.socket(AF_INET, SOCK_DGRAM) is a jsock core socket: " + s.getClass());
    }

    @Test
    void filenoIsTheSocketDescriptor() throws Exception {
        Socket s = bound();
        int fd = s.fileno();
        assertTrue(fd > 2, "fileno " + fd);
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            assertTrue(Files.readSymbolicLink(link).toString().startsWith("socket:["), "/proc/self/fd/" + fd + " -> " + Files.readSymbolicLink(link));
        }
        s.close();
        assertEquals(-1, s.fileno(), "fileno after close");
    }

    @Test
    void reprReadsLikePython() throws Exception {
        Socket a = bound();
        Socket b = bound();
        a.connect(b.getSockName());
        int port = ((InetSocketAddress) a.getSockName()).getPort();
        int peer = ((InetSocketAddress) b.getSockName()).getPort();
        assertEquals("<socket fd=" + a.fileno() + ", family=AF_INET, type=SOCK_DGRAM, proto=0, laddr=127.0.0.1:" + port
                + ", raddr=127.0.0.1:" + peer + ">", a.toString(), "repr of a connected UDP socket");
        a.close();
        assertTrue(a.toString().startsWith("<socket [closed] fd=-1, family=AF_INET, type=SOCK_DGRAM"), "repr once closed: " + a);
    }

    @Test
    void sendToAnotherAddressWhileConnectedSendsThere() throws Exception {
        // Linux sends it (BSD would say EISCONN), and so does CPython on Linux
        Socket a = bound();
        Socket b = bound();
        Socket c = bound();
        a.connect(b.getSockName());
        assertEquals(1, a.sendTo(new byte[] {1}, c.getSockName()), "sendto a third address on a connected socket");
        Datagram got = c.recvFrom(10);
        assertEquals(1, got.data()[0], "the datagram the third socket got");
        assertEquals(a.getSockName(), got.address(), "its sender");
        assertEquals(1, a.sendTo(new byte[] {2}, b.getSockName()), "sendto the connected peer's own address");
        assertEquals(2, b.recv(10)[0], "the datagram sent to the peer's address");
    }

    @Test
    void econnrefusedIsReportedOnTheNextSend() throws Exception {
        Socket dead = bound();
        InetSocketAddress closed = (InetSocketAddress) dead.getSockName();
        dead.close();
        Socket s = bound();
        s.connect(closed);
        s.send(new byte[] {1});
        SocketError[] refused = new SocketError[1];
        // the ICMP error comes back asynchronously; one of the next sends reports it, as Linux and CPython do
        io.jsock.tck.TckTarget.await("ECONNREFUSED on a send", Duration.ofSeconds(5), () -> {
            try {
                s.send(new byte[] {1});
                return false;
            } catch (SocketError e) {
                refused[0] = e;
                return true;
            }
        });
        assertEquals(Errno.ECONNREFUSED, refused[0].errno(), "errno of the send after the port unreachable: " + refused[0]);
        assertTrue(refused[0].getMessage().startsWith("send 127.0.0.1:" + closed.getPort() + ": Connection refused")
                || refused[0].getMessage().startsWith("send: Connection refused"), "message: " + refused[0].getMessage());
    }

    @Test
    void ipv4PeersOfAnInet6SocketAreMapped() throws Exception {
        // CPython: recvfrom gives ('::ffff:127.0.0.1', port, 0, 0) and sendto it replies
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1};
        java.net.InetAddress v4InV6 = java.net.Inet6Address.getByAddress(null, mapped, (java.net.NetworkInterface) null);
        Socket v6 = udp(AddressFamily.AF_INET6);
        v6.bind(new InetSocketAddress(v4InV6, 0));
        v6.setTimeout(Duration.ofSeconds(10));
        Socket v4 = bound();
        int port = ((InetSocketAddress) v6.getSockName()).getPort();
        assertEquals(new InetSocketAddress(v4InV6, port), v6.getSockName(), "getsockname of an AF_INET6 socket bound to ::ffff:127.0.0.1");
        v4.sendTo(new byte[] {7}, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        io.jsock.Datagram d = v6.recvFrom(10);
        int v4Port = ((InetSocketAddress) v4.getSockName()).getPort();
        assertEquals(new InetSocketAddress(v4InV6, v4Port), d.address(), "an IPv4 sender as an AF_INET6 socket names it");
        v6.sendTo(new byte[] {8}, d.address());
        assertEquals(8, v4.recv(10)[0], "the reply to the mapped address reaches the IPv4 socket");
        v6.connect(d.address());
        assertEquals(d.address(), v6.getPeerName(), "getpeername after connecting to the mapped address");
    }

    @Test
    void errorsNameTheCallAndAddress() throws Exception {
        Socket s = bound();
        InetSocketAddress zero = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        SocketError e = assertThrows(SocketError.class, () -> s.sendTo(new byte[1], zero));
        assertEquals("sendto 127.0.0.1:0: Invalid argument", e.getMessage(), "message of sendto port 0");
        SocketError big = assertThrows(SocketError.class, () -> s.sendTo(new byte[65_508], s.getSockName()));
        assertEquals("sendto " + io.jsock.spi.AbstractSocket.describe(s.getSockName()) + ": Message too long", big.getMessage(),
                "message of an oversized sendto");
    }
}
