package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.Sockopt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sockets.createServer over TCP, as Python's socket.create_server. */
class CreateServerTest {
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeAll() {
        sockets.forEach(Socket::close);
    }

    private Socket track(Socket s) {
        sockets.add(s);
        return s;
    }

    @Test
    void aPortInUseIsEaddrinuse() throws Exception {
        Socket first = track(Sockets.createServer(new InetSocketAddress("127.0.0.1", 0)));
        SocketError e = assertThrows(SocketError.class, () -> track(Sockets.createServer(first.getSockName())),
                "createServer on a port another listener has");
        assertEquals(Errno.EADDRINUSE, e.errno(), "errno of createServer on a busy port: " + e);
    }

    @Test
    void anIpv6ServerIsV6OnlyUnlessDualStackIsAsked() throws Exception {
        Socket v6only = track(Sockets.createServer(new InetSocketAddress(InetAddress.getByName("::"), 0)));
        assertEquals(1, v6only.getOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_V6ONLY), "IPV6_V6ONLY of createServer(::)");
        int port = ((InetSocketAddress) v6only.getSockName()).getPort();
        Socket v4 = track(Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM));
        v4.setTimeout(Duration.ofSeconds(5));
        assertEquals(Errno.ECONNREFUSED.code(), v4.connectEx(new InetSocketAddress("127.0.0.1", port)),
                "an IPv4 client of a v6-only server on the same port");

        assertTrue(Sockets.hasDualStackIpv6(), "this Linux has dual-stack IPv6");
        Socket dual = track(Sockets.createServer(new InetSocketAddress(InetAddress.getByName("::"), 0), 8, false, true));
        assertEquals(0, dual.getOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_V6ONLY), "IPV6_V6ONLY of a dual-stack server");
        Socket client = track(Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM));
        client.setTimeout(Duration.ofSeconds(5));
        client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) dual.getSockName()).getPort()));
        dual.setTimeout(Duration.ofSeconds(5));
        InetSocketAddress peer = (InetSocketAddress) track(dual.accept().socket()).getPeerName();
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        assertArrayEquals(mapped, peer.getAddress().getAddress(), "an IPv4 client of a dual-stack server is ::ffff:127.0.0.1");
    }

    @Test
    void dualStackOnAnIpv4AddressIsACallersMistake() {
        assertThrows(IllegalArgumentException.class,
                () -> Sockets.createServer(new InetSocketAddress("127.0.0.1", 0), 8, false, true), "dualStackIpv6 on an IPv4 address");
    }

    @Test
    void reusePortLetsTwoServersShareAPort() throws Exception {
        Socket a = track(Sockets.createServer(new InetSocketAddress("127.0.0.1", 0), 8, true, false));
        Socket b = track(Sockets.createServer(a.getSockName(), 8, true, false));
        assertEquals(a.getSockName(), b.getSockName(), "two SO_REUSEPORT servers on one address");
    }
}
