package io.jsock.datagram;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.MulticastOptions;
import io.jsock.MulticastOptions.MulticastGroup;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Joining and leaving an IPv4 multicast group on the loopback interface, as Python does with
 * {@code setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq)} and {@code IP_MULTICAST_IF 127.0.0.1}.
 */
class MulticastTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final DatagramProvider provider = new DatagramProvider();
    private final List<Socket> sockets = new ArrayList<>();
    private NetworkInterface lo;
    private InetAddress group;

    @BeforeEach
    void loopback() throws Exception {
        lo = NetworkInterface.getByName("lo");
        if (lo == null || !lo.isUp()) {
            throw new TestAbortedException("no loopback interface named lo is up");
        }
        // a group of the organisation-local scope (239/8) that nothing on this host uses
        group = InetAddress.getByName("239.255.77." + (1 + (int) (ProcessHandle.current().pid() % 250)));
    }

    @AfterEach
    void closeAll() {
        sockets.forEach(Socket::close);
    }

    private Socket udp() throws SocketError {
        Socket s = provider.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0);
        sockets.add(s);
        return s;
    }

    @Test
    void joinedGroupReceivesAndLeftGroupDoesNot() throws Exception {
        Socket receiver = udp();
        // bound to the group's address, not the wildcard: only datagrams to the group arrive, on no outside port
        receiver.bind(new InetSocketAddress(group, 0));
        SocketAddress to = new InetSocketAddress(group, ((InetSocketAddress) receiver.getSockName()).getPort());
        MulticastGroup membership = new MulticastGroup(group, lo);
        try {
            receiver.setOption(MulticastOptions.IP_ADD_MEMBERSHIP, membership);
        } catch (SocketError e) {
            throw new TestAbortedException("the kernel refuses multicast on lo: " + e.getMessage(), e);
        }
        Socket sender = udp();
        sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
        sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        sender.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sender.sendTo(bytes("hello group"), to);
        receiver.setTimeout(WAIT);
        io.jsock.Datagram d;
        try {
            d = receiver.recvFrom(100);
        } catch (SocketTimeoutError e) {
            throw new TestAbortedException("no multicast route on lo: the datagram to " + group + " never came back", e);
        }
        assertArrayEquals(bytes("hello group"), d.data(), "the datagram sent to the joined group");
        assertEquals(sender.getSockName(), d.address(), "its sender");

        SocketError again = assertThrows(SocketError.class, () -> receiver.setOption(MulticastOptions.IP_ADD_MEMBERSHIP, membership));
        assertEquals(Errno.EADDRINUSE, again.errno(), "joining the same group twice: " + again);

        receiver.setOption(MulticastOptions.IP_DROP_MEMBERSHIP, membership);
        sender.sendTo(bytes("after leaving"), to);
        receiver.setTimeout(Duration.ofMillis(300));
        assertThrows(SocketTimeoutError.class, () -> receiver.recvFrom(100), "a datagram to a group the socket left must not arrive");

        SocketError notMember = assertThrows(SocketError.class, () -> receiver.setOption(MulticastOptions.IP_DROP_MEMBERSHIP, membership));
        assertEquals(Errno.EADDRNOTAVAIL, notMember.errno(), "leaving a group the socket is not in: " + notMember);
    }

    @Test
    void joiningAUnicastAddressRaisesEinval() throws Exception {
        Socket s = udp();
        SocketError e = assertThrows(SocketError.class,
                () -> s.setOption(MulticastOptions.IP_ADD_MEMBERSHIP, new MulticastGroup(InetAddress.getLoopbackAddress(), lo)));
        assertEquals(Errno.EINVAL, e.errno(), "joining 127.0.0.1 as a group: " + e);
    }

    @Test
    void multicastInterfaceReadsBack() throws Exception {
        Socket s = udp();
        s.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
        assertEquals(lo, s.getOption(StandardSocketOptions.IP_MULTICAST_IF), "IP_MULTICAST_IF after setting lo");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
