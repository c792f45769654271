package io.jsock.server;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Ready;
import io.jsock.Selector;
import io.jsock.SelectorKey;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One selector takes the sockets of every built-in provider at once, each reported under its own key. */
class SelectorMixTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void oneSelectorMixesEveryBuiltInProvider() throws Exception {
        List<Socket> opened = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            List<Socket[]> pairs = new ArrayList<>();
            pairs.add(tcp(opened, AddressFamily.AF_INET, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            try {
                pairs.add(tcp(opened, AddressFamily.AF_INET6, new InetSocketAddress("::1", 0)));
            } catch (SocketError noIpv6) {
                // a host without IPv6 loopback: the other families still mix
            }
            pairs.add(udp(opened));
            SocketPair unix = Sockets.socketPair();
            opened.add(unix.first());
            opened.add(unix.second());
            pairs.add(new Socket[] {unix.first(), unix.second()});
            Socket ud = open(opened, AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
            ud.bind(UnixAddress.of(dir.resolve("d.sock")));
            Socket uc = open(opened, AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
            uc.connect(ud.getSockName());
            pairs.add(new Socket[] {uc, ud});
            try {
                SocketPair seq = Sockets.socketPair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET);
                opened.add(seq.first());
                opened.add(seq.second());
                pairs.add(new Socket[] {seq.first(), seq.second()});
            } catch (SocketError noSeqpacket) {
                assertEquals(Errno.ESOCKTNOSUPPORT, noSeqpacket.errno(), "no provider takes AF_UNIX SOCK_SEQPACKET here");
            }
            Set<Ready> expected = new HashSet<>();
            for (Socket[] p : pairs) {
                SelectorKey key = selector.register(p[1], Selector.EVENT_READ, p[1].family() + " " + p[1].type());
                expected.add(new Ready(key, Selector.EVENT_READ));
            }
            assertEquals(List.of(), selector.select(Duration.ZERO), "nothing sent yet");
            for (Socket[] p : pairs) {
                p[0].send("x".getBytes(StandardCharsets.US_ASCII));
            }
            Set<Ready> seen = new HashSet<>();
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (seen.size() < expected.size() && System.nanoTime() - deadline < 0) {
                seen.addAll(selector.select(Duration.ofMillis(100)));
            }
            assertEquals(expected, seen, "every provider's socket reported readable under its own key");
        } finally {
            opened.forEach(Socket::close);
        }
    }

    private static Socket open(List<Socket> opened, AddressFamily family, SocketType type) throws SocketError {
        Socket s = Sockets.socket(family, type);
        opened.add(s);
        return s;
    }

    private static Socket[] tcp(List<Socket> opened, AddressFamily family, InetSocketAddress at) throws SocketError {
        Socket listener = open(opened, family, SocketType.SOCK_STREAM);
        listener.bind(at);
        listener.listen(1);
        Socket client = open(opened, family, SocketType.SOCK_STREAM);
        client.connect(listener.getSockName());
        Socket server = listener.accept().socket();
        opened.add(server);
        return new Socket[] {client, server};
    }

    private static Socket[] udp(List<Socket> opened) throws SocketError {
        Socket a = open(opened, AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
        Socket b = open(opened, AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
        a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        a.connect(b.getSockName());
        return new Socket[] {a, b};
    }
}
