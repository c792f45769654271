package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.PacketAddress;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.Sockopt;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Raw IP and packet sockets on loopback, as Linux and CPython show them: an ICMP echo to 127.0.0.1
 * comes back with its IPv4 header; one to ::1 over ICMPv6, with the checksum the kernel fills in
 * and no header; an IPv4 + UDP packet built by hand (IP_HDRINCL) reaches an ordinary UDP socket;
 * an AF_PACKET socket bound to {@code lo} sees a loopback datagram (IPv6) with the fields CPython's
 * recvfrom reports. Each case needs CAP_NET_RAW and is skipped, with that reason, without it.
 */
@ContractGroup(name = "raw", appliesTo = Semantics.RAW)
public final class RawContract {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    /**
     * Reads of unrelated traffic (other ICMP, other frames on lo) a case tolerates before it gives up, besides
     * {@link #LIMIT}: a lo busy with other tests and benchmarks carries a hundred thousand packets a second.
     */
    private static final int MAX_READS = 1_000_000;
    /** SO_RCVBUFFORCE, Linux's 33. */
    private static final int SO_RCVBUFFORCE = 33;
    private static final AtomicInteger IDS = new AtomicInteger((int) (ProcessHandle.current().pid() * 7919));

    @Contract(id = "raw.icmp.echo-to-127-0-0-1-comes-back-with-ip-header", families = AddressFamily.AF_INET,
            statement = "An ICMP echo request sent with sendto to 127.0.0.1 on a SOCK_RAW IPPROTO_ICMP socket is answered: "
                    + "recvfrom gives the reply after its 20-byte IPv4 header, from ('127.0.0.1', 0).")
    void icmpEchoV4(TckTarget t) throws Exception {
        Socket s = open(t, AddressFamily.AF_INET, SocketType.SOCK_RAW, Protocols.IPPROTO_ICMP);
        s.setTimeout(LIMIT);
        int id = nextId();
        byte[] payload = "jsock-tck-echo-v4".getBytes(StandardCharsets.US_ASCII);
        byte[] request = icmpEcho(8, id, 1, payload, true);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
        assertEquals(request.length, s.sendTo(request, loopback), "sendto sends the whole ICMP message");
        Datagram reply = awaitEcho(s, 20, 0, id);
        assertEquals(loopback, reply.address(), "recvfrom's sender: 127.0.0.1 with port 0, as CPython's ('127.0.0.1', 0)");
        byte[] d = reply.data();
        assertEquals(0x45, d[0] & 0xff, "an IPv4 header of 20 bytes comes first");
        assertEquals(Protocols.IPPROTO_ICMP, d[9] & 0xff, "the header's protocol");
        assertEquals(20 + request.length, d.length, "the header and the echoed message");
        assertArrayEquals(payload, Arrays.copyOfRange(d, 28, d.length), "the payload, echoed");
    }

    @Contract(id = "raw.icmp.echo-to-ipv6-loopback-kernel-checksum", families = AddressFamily.AF_INET6,
            statement = "An ICMPv6 echo request sent to ::1 on a SOCK_RAW IPPROTO_ICMPV6 socket with its checksum left 0 "
                    + "is answered (the kernel fills the checksum in): recvfrom gives the reply without an IPv6 header, from ::1.")
    void icmpEchoV6(TckTarget t) throws Exception {
        Socket s = open(t, AddressFamily.AF_INET6, SocketType.SOCK_RAW, Protocols.IPPROTO_ICMPV6);
        s.setTimeout(LIMIT);
        int id = nextId();
        byte[] payload = "jsock-tck-echo-v6".getBytes(StandardCharsets.US_ASCII);
        byte[] request = icmpEcho(128, id, 1, payload, false);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        s.sendTo(request, loopback);
        Datagram reply = awaitEcho(s, 0, 129, id);
        assertEquals(loopback, reply.address(), "recvfrom's sender: ::1");
        assertEquals(request.length, reply.data().length, "no IPv6 header on an ICMPv6 socket");
        assertArrayEquals(payload, Arrays.copyOfRange(reply.data(), 8, reply.data().length), "the payload, echoed");
    }

    @Contract(id = "raw.ip.hdrincl-udp-packet-reaches-udp-socket", families = AddressFamily.AF_INET,
            statement = "An IPv4 header and UDP header built by hand and sent on a SOCK_RAW IPPROTO_RAW socket (IP_HDRINCL on) "
                    + "reach a UDP socket bound to 127.0.0.1: recvfrom gives the payload and the source port written in the header.")
    void hdrinclUdp(TckTarget t) throws Exception {
        Socket raw = open(t, AddressFamily.AF_INET, SocketType.SOCK_RAW, Protocols.IPPROTO_RAW);
        assertEquals(1, raw.getOption(Sockopt.SOL_IP, Sockopt.IP_HDRINCL), "IPPROTO_RAW implies IP_HDRINCL");
        Socket udp = udpReceiver(t);
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        int port = ((InetSocketAddress) udp.getSockName()).getPort();
        byte[] payload = "jsock-tck-hand-built".getBytes(StandardCharsets.US_ASCII);
        byte[] packet = ipv4Udp(loopback.getAddress(), 40001, loopback.getAddress(), port, payload);
        assertEquals(packet.length, raw.sendTo(packet, new InetSocketAddress(loopback, 0)), "sendto sends the whole packet");
        Datagram got = udp.recvFrom(100);
        assertArrayEquals(payload, got.data(), "the UDP payload written by hand");
        assertEquals(new InetSocketAddress(loopback, 40001), got.address(), "the source address and port written by hand");
    }

    @Contract(id = "raw.packet.lo-sees-loopback-datagram-as-cpython", families = AddressFamily.AF_PACKET,
            statement = "An AF_PACKET socket bound to ('lo', ETH_P_IPV6) sees a UDP datagram sent to ::1: recvfrom gives the "
                    + "packet (from its IPv6 header for SOCK_DGRAM, its Ethernet header for SOCK_RAW) and, for the arriving copy, "
                    + "the sender ('lo', 0x86dd, PACKET_HOST, 772, six zero bytes), the same length and fields as CPython's socket "
                    + "on the same datagram.")
    void packetSeesLoopbackDatagram(TckTarget t) throws Exception {
        open(t, AddressFamily.AF_PACKET, t.type(), t.proto()).close(); // skips here without CAP_NET_RAW, before CPython fails on it
        InetSocketAddress v6Loopback = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        Socket udp;
        Socket sender;
        try {
            udp = t.track(Sockets.socket(AddressFamily.AF_INET6, SocketType.SOCK_DGRAM));
            udp.bind(v6Loopback);
            sender = t.track(Sockets.socket(AddressFamily.AF_INET6, SocketType.SOCK_DGRAM));
        } catch (SocketError e) {
            throw t.skip("No UDP socket on ::1 to send the datagram this case watches: " + e.getMessage() + ".");
        }
        byte[] marker = ("jsock-tck-packet-" + ProcessHandle.current().pid() + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        // IPv6, since benchmarks may fill lo with a million IPv4 packets a second, which would overflow any receive
        // buffer before the datagram is read; and CPython binds first, so both sockets are bound the shortest time before it
        Process python = cpythonCapture(t, t.type(), marker);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = lines.readLine();
            if (!"ready".equals(ready)) {
                throw new AssertionError("python's packet socket did not start: " + ready + " " + readRest(lines));
            }
            Socket packet = open(t, AddressFamily.AF_PACKET, t.type(), t.proto());
            roomForBusyLo(packet);
            packet.bind(new PacketAddress("lo", PacketAddress.ETH_P_IPV6, 0, 0, new byte[0]));
            packet.setTimeout(LIMIT);
            sender.sendTo(marker, udp.getSockName());
            Datagram seen = awaitMarked(packet, marker);
            assertEquals(new PacketAddress("lo", PacketAddress.ETH_P_IPV6, 0, 772, new byte[6]), packet.getSockName(),
                    "getsockname, as CPython's ('lo', 34525, 0, 772, b'\\x00\\x00\\x00\\x00\\x00\\x00')");
            PacketAddress from = (PacketAddress) seen.address();
            String jsock = from.ifname() + " " + from.protocol() + " " + from.pktType() + " " + from.haType() + " "
                    + HexFormat.of().formatHex(from.address()) + " " + seen.data().length;
            String cpython = lines.readLine();
            if (!python.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("python did not end within " + LIMIT.toSeconds() + " s");
            }
            assertEquals(cpython, jsock, "ifname, proto, pkttype, hatype, addr and length as CPython's recvfrom gives them");
            assertEquals("lo 34525 0 772 000000000000", jsock.substring(0, jsock.lastIndexOf(' ')), "the sender, literally");
            int headers = (t.type() == SocketType.SOCK_RAW ? 14 : 0) + 40 + 8;
            assertEquals(headers + marker.length, seen.data().length, "the headers, then the datagram");
        } finally {
            python.destroyForcibly();
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    /** A socket of the triple from the provider; the case is skipped where the process has no CAP_NET_RAW. */
    private static Socket open(TckTarget t, AddressFamily family, SocketType type, int proto) throws SocketError {
        try {
            return t.track(t.provider().open(family, type, proto));
        } catch (SocketError e) {
            if (e.errno() == Errno.EPERM) {
                throw t.skip("This process has no CAP_NET_RAW, which raw and packet sockets need.");
            }
            throw e;
        }
    }

    /** A receive buffer of 4 MiB: SO_RCVBUFFORCE where the process may (CAP_NET_ADMIN), else SO_RCVBUF up to rmem_max. */
    private static void roomForBusyLo(Socket packet) throws SocketError {
        try {
            packet.setOption(Sockopt.SOL_SOCKET, SO_RCVBUFFORCE, 4 << 20);
        } catch (SocketError e) {
            packet.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        }
    }

    private static Socket udpReceiver(TckTarget t) throws Exception {
        Socket udp;
        try {
            udp = t.track(Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM));
        } catch (SocketError e) {
            throw t.skip("No installed provider opens the AF_INET SOCK_DGRAM socket this case receives with: " + e.getMessage() + ".");
        }
        udp.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
        udp.setTimeout(LIMIT);
        return udp;
    }

    private static int nextId() {
        return IDS.incrementAndGet() & 0xffff;
    }

    /** An ICMP (or ICMPv6) echo message: type, code 0, checksum, identifier, sequence, payload. */
    static byte[] icmpEcho(int type, int id, int seq, byte[] payload, boolean checksum) {
        byte[] m = new byte[8 + payload.length];
        m[0] = (byte) type;
        m[4] = (byte) (id >> 8);
        m[5] = (byte) id;
        m[6] = (byte) (seq >> 8);
        m[7] = (byte) seq;
        System.arraycopy(payload, 0, m, 8, payload.length);
        if (checksum) {
            int c = internetChecksum(m, 0, m.length);
            m[2] = (byte) (c >> 8);
            m[3] = (byte) c;
        }
        return m;
    }

    /** RFC 1071's one's-complement sum of 16-bit words. */
    static int internetChecksum(byte[] b, int from, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((b[from + i] & 0xff) << 8) | (b[from + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (b[from + length - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** An IPv4 header (20 bytes, TTL 64, protocol UDP, its checksum) and a UDP header (no checksum) before {@code payload}. */
    static byte[] ipv4Udp(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) {
        int total = 20 + 8 + payload.length;
        byte[] p = new byte[total];
        p[0] = 0x45;
        p[2] = (byte) (total >> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = (byte) Protocols.IPPROTO_UDP;
        System.arraycopy(source, 0, p, 12, 4);
        System.arraycopy(destination, 0, p, 16, 4);
        int c = internetChecksum(p, 0, 20);
        p[10] = (byte) (c >> 8);
        p[11] = (byte) c;
        p[20] = (byte) (sourcePort >> 8);
        p[21] = (byte) sourcePort;
        p[22] = (byte) (destinationPort >> 8);
        p[23] = (byte) destinationPort;
        p[24] = (byte) ((8 + payload.length) >> 8);
        p[25] = (byte) (8 + payload.length);
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }

    /** The echo reply of {@code id}: ICMP of {@code type} after {@code header} bytes; other ICMP traffic is passed over. */
    private static Datagram awaitEcho(Socket s, int header, int type, int id) throws SocketError {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int i = 0; i < MAX_READS && System.nanoTime() - deadline < 0; i++) {
            Datagram d = s.recvFrom(65535);
            byte[] b = d.data();
            if (b.length >= header + 8 && (b[header] & 0xff) == type
                    && (((b[header + 4] & 0xff) << 8) | (b[header + 5] & 0xff)) == id) {
                return d;
            }
        }
        throw new AssertionError("no ICMP type " + type + " with identifier " + id + " within " + LIMIT.toSeconds() + " s");
    }

    /** The first arriving (PACKET_HOST) packet that ends with {@code marker}; lo's outgoing copy and other traffic are passed over. */
    private static Datagram awaitMarked(Socket s, byte[] marker) throws SocketError {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int i = 0; i < MAX_READS && System.nanoTime() - deadline < 0; i++) {
            Datagram d;
            try {
                d = s.recvFrom(65535);
            } catch (SocketTimeoutError e) {
                break;
            }
            byte[] b = d.data();
            boolean arriving = d.address() instanceof PacketAddress p && p.pktType() == PacketAddress.PACKET_HOST;
            if (arriving && b.length >= marker.length && Arrays.equals(b, b.length - marker.length, b.length, marker, 0, marker.length)) {
                return d;
            }
        }
        throw new AssertionError("the marked datagram did not show on lo within " + LIMIT.toSeconds() + " s");
    }

    /**
     * CPython, the oracle: an AF_PACKET socket of {@code type} bound to ('lo', ETH_P_IPV6) that prints
     * "ready", then the fields and length of the first arriving packet ending with {@code marker}.
     */
    private static Process cpythonCapture(TckTarget t, SocketType type, byte[] marker) {
        String script = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_PACKET, " + type.value() + ", " + t.proto() + ")",
                "try: s.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)  # SO_RCVBUFFORCE",
                "except OSError: s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)",
                "s.bind(('lo', 0x86dd)); s.settimeout(5)",
                "marker = sys.argv[1].encode()",
                "print('ready', flush=True)",
                "for _ in range(" + MAX_READS + "):",
                "    data, a = s.recvfrom(65535)",
                "    if a[2] == socket.PACKET_HOST and data.endswith(marker):",
                "        print(a[0], a[1], a[2], a[3], a[4].hex(), len(data), flush=True)",
                "        break");
        try {
            return new ProcessBuilder("python3", "-c", script, new String(marker, StandardCharsets.US_ASCII))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw t.skip("python3, the oracle for AF_PACKET's fields, cannot be started: " + e.getMessage() + ".");
        }
    }

    private static String readRest(BufferedReader lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l = lines.readLine(); l != null && sb.length() < 4000; l = lines.readLine()) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
