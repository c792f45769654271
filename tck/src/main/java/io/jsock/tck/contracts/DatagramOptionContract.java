package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.MulticastOptions;
import io.jsock.Socket;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketAddress;
import java.net.StandardSocketOptions;

import static io.jsock.tck.TckTarget.assertErrno;
import static io.jsock.tck.contracts.DatagramSupport.LIMIT;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket options of datagram sockets. */
@ContractGroup(name = "options", appliesTo = Semantics.DATAGRAM)
public final class DatagramOptionContract {

    @Contract(id = "datagram.options.buffer-sizes-take-at-least-what-was-set",
            statement = "After setting SO_RCVBUF and SO_SNDBUF, getsockopt reports at least the size set (Linux doubles it).")
    void bufferSizesTakeAtLeastWhatWasSet(TckTarget t) throws Exception {
        Socket s = t.open();
        t.optional("SO_RCVBUF", () -> {
            s.setOption(StandardSocketOptions.SO_RCVBUF, 32768);
            return null;
        });
        int rcv = s.getOption(StandardSocketOptions.SO_RCVBUF);
        assertTrue(rcv >= 32768, "SO_RCVBUF after setting 32768 is " + rcv);
        t.optional("SO_SNDBUF", () -> {
            s.setOption(StandardSocketOptions.SO_SNDBUF, 32768);
            return null;
        });
        int snd = s.getOption(StandardSocketOptions.SO_SNDBUF);
        assertTrue(snd >= 32768, "SO_SNDBUF after setting 32768 is " + snd);
    }

    @Contract(id = "datagram.options.reuseaddr-round-trips",
            statement = "SO_REUSEADDR is off on a new socket and reads back as set.")
    void reuseaddrRoundTrips(TckTarget t) throws Exception {
        Socket s = t.open();
        boolean initial = t.optional("SO_REUSEADDR", () -> s.getOption(StandardSocketOptions.SO_REUSEADDR));
        assertFalse(initial, "SO_REUSEADDR of a new socket");
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR after setting it");
    }

    @Contract(id = "datagram.options.reuseport-lets-two-sockets-share-a-port",
            statement = "Two UDP sockets that both set SO_REUSEPORT bind the same address and port.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void reuseportLetsTwoSocketsShareAPort(TckTarget t) throws Exception {
        Socket a = t.open();
        Socket b = t.open();
        t.optional("SO_REUSEPORT", () -> {
            a.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            return null;
        });
        b.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        assertTrue(b.getOption(StandardSocketOptions.SO_REUSEPORT), "SO_REUSEPORT after setting it");
        a.bind(t.bindAddress());
        SocketAddress shared = a.getSockName();
        b.bind(shared);
        assertEquals(shared, b.getSockName(), "getsockname of the second socket on the shared port");
    }

    @Contract(id = "datagram.options.broadcast-round-trips",
            statement = "SO_BROADCAST is off on a new UDP socket and reads back as set.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void broadcastRoundTrips(TckTarget t) throws Exception {
        Socket s = t.open();
        assertFalse(t.optional("SO_BROADCAST", () -> s.getOption(StandardSocketOptions.SO_BROADCAST)), "SO_BROADCAST of a new socket");
        s.setOption(StandardSocketOptions.SO_BROADCAST, true);
        assertTrue(s.getOption(StandardSocketOptions.SO_BROADCAST), "SO_BROADCAST after setting it");
    }

    @Contract(id = "datagram.options.tos-round-trips",
            statement = "IP_TOS (IPV6_TCLASS for AF_INET6) is 0 on a new UDP socket and reads back as set, and datagrams still flow.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void tosRoundTrips(TckTarget t) throws Exception {
        Socket s = t.bound();
        assertEquals(0, (int) t.optional("IP_TOS", () -> s.getOption(StandardSocketOptions.IP_TOS)), "IP_TOS of a new socket");
        s.setOption(StandardSocketOptions.IP_TOS, 0x10);
        assertEquals(0x10, (int) s.getOption(StandardSocketOptions.IP_TOS), "IP_TOS after setting 0x10 (IPTOS_LOWDELAY)");
        Socket r = t.bound();
        r.setTimeout(LIMIT);
        s.sendTo(text("tos"), r.getSockName());
        assertArrayEquals(text("tos"), r.recv(10), "a datagram sent with IP_TOS 0x10");
    }

    @Contract(id = "datagram.options.multicast-defaults",
            statement = "A new UDP socket sends multicast with a TTL (hop limit) of 1 and loops it back to the host.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void multicastDefaults(TckTarget t) throws Exception {
        Socket s = t.open();
        assertEquals(1, (int) t.optional("IP_MULTICAST_TTL", () -> s.getOption(StandardSocketOptions.IP_MULTICAST_TTL)),
                "IP_MULTICAST_TTL of a new socket");
        assertTrue(s.getOption(StandardSocketOptions.IP_MULTICAST_LOOP), "IP_MULTICAST_LOOP of a new socket");
        s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 4);
        assertEquals(4, (int) s.getOption(StandardSocketOptions.IP_MULTICAST_TTL), "IP_MULTICAST_TTL after setting 4");
        s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
        assertFalse(s.getOption(StandardSocketOptions.IP_MULTICAST_LOOP), "IP_MULTICAST_LOOP after turning it off");
        assertErrno(Errno.EINVAL, "IP_MULTICAST_TTL 300 (more than 255)", () -> {
            s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 300);
            return null;
        });
    }

    @Contract(id = "datagram.options.membership-options-are-write-only",
            statement = "Reading IP_ADD_MEMBERSHIP or IP_DROP_MEMBERSHIP raises ENOPROTOOPT, as getsockopt does.",
            families = {AddressFamily.AF_INET, AddressFamily.AF_INET6})
    void membershipOptionsAreWriteOnly(TckTarget t) throws Exception {
        Socket s = t.open();
        assertErrno(Errno.ENOPROTOOPT, "getsockopt IP_ADD_MEMBERSHIP", () -> s.getOption(MulticastOptions.IP_ADD_MEMBERSHIP));
        assertErrno(Errno.ENOPROTOOPT, "getsockopt IP_DROP_MEMBERSHIP", () -> s.getOption(MulticastOptions.IP_DROP_MEMBERSHIP));
    }

    @Contract(id = "datagram.options.unsupported-option-raises-enoprotoopt",
            statement = "A stream-only option such as TCP_NODELAY raises ENOPROTOOPT on a datagram socket.")
    void unsupportedOptionRaisesEnoprotoopt(TckTarget t) throws Exception {
        Socket s = t.open();
        assertErrno(Errno.ENOPROTOOPT, "getsockopt TCP_NODELAY on a datagram socket", () -> s.getOption(StandardSocketOptions.TCP_NODELAY));
        assertErrno(Errno.ENOPROTOOPT, "setsockopt SO_KEEPALIVE on a datagram socket", () -> {
            s.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            return null;
        });
    }

    @Contract(id = "datagram.options.numeric-options-round-trip",
            statement = "setOption and getOption by number (Python's setsockopt/getsockopt) reach the kernel: SO_REUSEADDR "
                    + "round-trips, SO_TYPE and SO_DOMAIN read the socket's type and family, a buffer length reads that many "
                    + "bytes, and an unknown option is ENOPROTOOPT.")
    void numericOptionsRoundTrip(TckTarget t) throws Exception {
        OptionContract.checkNumericOptions(t);
    }

    @Contract(id = "datagram.options.buffer-size-reads-back-as-the-kernel-keeps-it",
            statement = "SO_RCVBUF and SO_SNDBUF set to 4096 read back 8192: getsockopt(2) reports the doubled size Linux "
                    + "keeps (room for its bookkeeping), as CPython shows.")
    void bufferSizeReadsBackAsTheKernelKeepsIt(TckTarget t) throws Exception {
        OptionContract.checkBufferSizeDoubled(t);
    }
}
