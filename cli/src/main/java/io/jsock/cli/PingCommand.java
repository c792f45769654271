package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.spi.AbstractSocket;

import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code jsock ping [-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST}: ICMP echo over {@code SOCK_RAW}
 * ({@code IPPROTO_ICMP} for an IPv4 host, {@code IPPROTO_ICMPV6} for an IPv6 one, as ping(8) of
 * iputils does it with a raw socket), printing its lines and its statistics. Exit status 0 when a
 * reply came, 1 when none did (or the socket could not be opened: without CAP_NET_RAW, EPERM).
 */
final class PingCommand {
    /** ping(8)'s default payload: 56 bytes, 64 with the ICMP header. */
    static final int PAYLOAD = 56;
    private static final int ECHO_REQUEST_V4 = 8;
    private static final int ECHO_REPLY_V4 = 0;
    private static final int ECHO_REQUEST_V6 = 128;
    private static final int ECHO_REPLY_V6 = 129;
    /** Reads of other ICMP traffic passed over while one reply is awaited, so a flood cannot keep it reading forever. */
    private static final int MAX_READS_PER_REPLY = 10_000;

    private PingCommand() {
    }

    private record Options(long count, Duration interval, Duration timeout, String host) {
    }

    static Options parse(java.util.List<String> argv) throws UsageError {
        Args args = Args.parse(argv, new Args.Spec().value("--count", "-c", "COUNT").value("--interval", "-i", "INTERVAL")
                .value("--timeout", "-W", "TIMEOUT"));
        String count = args.single("--count");
        long n = 0;
        if (count != null) {
            try {
                n = Long.parseLong(count);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n <= 0) {
                throw UsageError.bad("-c", count, "expected a count of at least 1");
            }
        }
        Duration interval = CatCommand.seconds("-i", args.single("--interval"), false);
        Duration timeout = CatCommand.seconds("-W", args.single("--timeout"), false);
        if (args.positionals().isEmpty()) {
            throw new UsageError("missing HOST: ping takes [-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST");
        }
        if (args.positionals().size() > 1) {
            throw UsageError.bad("argument", args.positionals().get(1), "ping takes one HOST");
        }
        return new Options(n, interval == null ? Duration.ofSeconds(1) : interval,
                timeout == null ? Duration.ofSeconds(1) : timeout, args.positionals().get(0));
    }

    static int run(java.util.List<String> argv, PrintStream out) throws Exception {
        Options o = parse(argv);
        InetAddress target;
        try {
            target = InetAddress.getByName(o.host());
        } catch (UnknownHostException e) {
            throw UsageError.bad("HOST", o.host(), "no such host (" + e.getMessage() + ")");
        }
        boolean v6 = target instanceof Inet6Address;
        AddressFamily family = v6 ? AddressFamily.AF_INET6 : AddressFamily.AF_INET;
        String text = AbstractSocket.describe(new InetSocketAddress(target, 0));
        text = text.substring(0, text.lastIndexOf(':'));
        if (text.startsWith("[")) {
            text = text.substring(1, text.length() - 1);
        }
        Statistics stats = new Statistics(o.host()); // ping(8) sums up under the name it was given
        try (Socket s = Sockets.socket(family, SocketType.SOCK_RAW, v6 ? Protocols.IPPROTO_ICMPV6 : Protocols.IPPROTO_ICMP)) {
            out.println(v6 ? "PING " + o.host() + " (" + text + ") " + PAYLOAD + " data bytes"
                    : "PING " + o.host() + " (" + text + ") " + PAYLOAD + "(" + (PAYLOAD + 28) + ") bytes of data.");
            out.flush();
            Thread summary = new Thread(() -> stats.print(out), "jsock ping statistics");
            boolean hooked = o.count() == 0; // without -c, ping runs until interrupted and says its statistics then
            if (hooked) {
                Runtime.getRuntime().addShutdownHook(summary);
            }
            int id = (int) (ProcessHandle.current().pid() & 0xffff);
            InetSocketAddress to = new InetSocketAddress(target, 0);
            for (long seq = 1; o.count() == 0 || seq <= o.count(); seq++) {
                long sent = System.nanoTime();
                byte[] request = echo(v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4, id, (int) seq, !v6);
                s.sendTo(request, to);
                stats.transmitted(sent);
                awaitReply(s, v6, id, (int) (seq & 0xffff), sent, o.timeout(), stats, out);
                long next = sent + o.interval().toNanos();
                if (o.count() != 0 && seq == o.count()) {
                    break;
                }
                for (long left = next - System.nanoTime(); left > 0; left = next - System.nanoTime()) {
                    LockSupport.parkNanos(left); // the pace between requests, as ping -i
                }
            }
            if (hooked) {
                Runtime.getRuntime().removeShutdownHook(summary);
            }
            stats.print(out);
        }
        return stats.received > 0 ? 0 : 1;
    }

    /** Waits up to {@code timeout} after {@code sent} for the echo reply of {@code id} and {@code seq}; prints its line. */
    private static void awaitReply(Socket s, boolean v6, int id, int seq, long sent, Duration timeout, Statistics stats, PrintStream out)
            throws SocketError {
        long deadline = sent + timeout.toNanos();
        for (int reads = 0; reads < MAX_READS_PER_REPLY; reads++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            s.setTimeout(Duration.ofNanos(left));
            Datagram d;
            try {
                d = s.recvFrom(65535);
            } catch (SocketTimeoutError e) {
                return;
            }
            long now = System.nanoTime();
            byte[] b = d.data();
            int header = v6 ? 0 : (b.length > 0 ? (b[0] & 0x0f) * 4 : 0); // IPv4's IHL; ICMPv6 comes without its header
            if (b.length < header + 8 || (b[header] & 0xff) != (v6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4)
                    || u16(b, header + 4) != id || u16(b, header + 6) != seq) {
                continue; // another process's ping, our own request looped back, or other ICMP
            }
            String from = AbstractSocket.describe(d.address());
            from = from.substring(0, from.lastIndexOf(':'));
            if (from.startsWith("[")) {
                from = from.substring(1, from.length() - 1);
            }
            double ms = (now - sent) / 1e6;
            stats.received(ms);
            out.println((b.length - header) + " bytes from " + from + ": icmp_seq=" + seq + (v6 ? "" : " ttl=" + (b[8] & 0xff))
                    + " time=" + time(ms) + " ms");
            out.flush();
            return;
        }
    }

    /** An echo request: type, code 0, checksum (IPv4; for ICMPv6 the kernel fills it in), identifier, sequence, 56 bytes of payload. */
    static byte[] echo(int type, int id, int seq, boolean checksum) {
        byte[] m = new byte[8 + PAYLOAD];
        m[0] = (byte) type;
        m[4] = (byte) (id >> 8);
        m[5] = (byte) id;
        m[6] = (byte) (seq >> 8);
        m[7] = (byte) seq;
        for (int i = 8; i < m.length; i++) {
            m[i] = (byte) (i - 8); // ping's pattern: 0x00, 0x01, ...
        }
        if (checksum) {
            long sum = 0;
            for (int i = 0; i < m.length; i += 2) {
                sum += ((m[i] & 0xff) << 8) | (m[i + 1] & 0xff);
            }
            while ((sum >> 16) != 0) {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            int c = (int) (~sum & 0xffff);
            m[2] = (byte) (c >> 8);
            m[3] = (byte) c;
        }
        return m;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    /** A round trip as iputils' ping writes it: three significant digits, at least a whole number of milliseconds. */
    static String time(double ms) {
        if (ms >= 99.95) {
            return String.format(Locale.ROOT, "%.0f", ms);
        } else if (ms >= 9.995) {
            return String.format(Locale.ROOT, "%.1f", ms);
        } else if (ms >= 1) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    /** What ping(8) sums up at its end. */
    static final class Statistics {
        private final String host;
        private long transmitted;
        private long received;
        private long first;
        private long last;
        private double min = Double.MAX_VALUE;
        private double max;
        private double sum;
        private double sumSquares;
        private boolean printed;

        Statistics(String host) {
            this.host = host;
        }

        synchronized void transmitted(long at) {
            if (transmitted++ == 0) {
                first = at;
            }
            last = System.nanoTime();
        }

        synchronized void received(double ms) {
            received++;
            min = Math.min(min, ms);
            max = Math.max(max, ms);
            sum += ms;
            sumSquares += ms * ms;
            last = System.nanoTime();
        }

        /** The summary, once: "--- HOST ping statistics ---", the counts and loss, and the round trips. */
        synchronized void print(PrintStream out) {
            if (printed) {
                return;
            }
            printed = true;
            long elapsed = transmitted == 0 ? 0 : Math.max(0, (last - first) / 1_000_000);
            long loss = transmitted == 0 ? 0 : (transmitted - received) * 100 / transmitted;
            out.println();
            out.println("--- " + host + " ping statistics ---");
            out.println(transmitted + " packets transmitted, " + received + " received, " + loss + "% packet loss, time " + elapsed + "ms");
            if (received > 0) {
                double avg = sum / received;
                double mdev = Math.sqrt(Math.max(0, sumSquares / received - avg * avg));
                out.println(String.format(Locale.ROOT, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms", min, avg, max, mdev));
            }
            out.flush();
        }
    }
}
