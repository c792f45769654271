package io.jsock.datagram;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.Sockopt;
import io.jsock.core.NativeSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPPROTO_UDPLITE on the datagram provider where the kernel has it: checksum coverage as the kernel and CPython answer. */
class UdpLiteTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @BeforeEach
    void needsUdpLite() {
        Assumptions.assumeTrue(NativeSocket.kernelHas(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocols.IPPROTO_UDPLITE),
                "This kernel has no UDP-Lite.");
    }

    @Test
    void coverageOptionsAnswerAsCpythonSees() throws Exception {
        try (Socket u = Sockets.socket(AddressFamily.AF_INET6, SocketType.SOCK_DGRAM, Protocols.IPPROTO_UDPLITE);
             Socket udp = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM)) {
            assertEquals(0, u.getOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV), "full coverage by default");
            u.setOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV, 20);
            assertEquals(20, u.getOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV));
            u.setOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV, 4);
            assertEquals(8, u.getOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV), "at least the 8-byte header, as Linux (and CPython) say");
            u.setOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_RECV_CSCOV, 20);
            assertEquals(20, u.getOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_RECV_CSCOV));
            SocketError e = assertThrows(SocketError.class, () -> udp.setOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV, 20));
            assertEquals(Errno.ENOPROTOOPT, e.errno(), "a UDP socket has no UDP-Lite options: ENOPROTOOPT, as CPython's errno 92");
        }
    }

    @Test
    void receiverDropsWhatIsCoveredLessThanItRequires() throws Exception {
        try (Socket sender = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocols.IPPROTO_UDPLITE);
             Socket receiver = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocols.IPPROTO_UDPLITE)) {
            receiver.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            receiver.setTimeout(LIMIT);
            receiver.setOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_RECV_CSCOV, 40);
            sender.setOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV, 20);
            sender.sendTo(padded("dropped"), receiver.getSockName());
            sender.setOption(Sockopt.SOL_UDPLITE, Sockopt.UDPLITE_SEND_CSCOV, 0);
            sender.sendTo(padded("kept"), receiver.getSockName());
            Datagram d = receiver.recvFrom(200);
            assertArrayEquals(padded("kept"), d.data(), "the datagram covered 20 < 40 bytes is dropped; the fully covered one arrives");
            assertEquals(((InetSocketAddress) sender.getSockName()).getPort(), ((InetSocketAddress) d.address()).getPort(), "from the sender's port");
        }
    }

    @Test
    void cpythonUdpLiteDatagramReachesJsock() throws Exception {
        try (Socket receiver = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocols.IPPROTO_UDPLITE)) {
            receiver.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            receiver.setTimeout(LIMIT);
            int port = ((InetSocketAddress) receiver.getSockName()).getPort();
            String script = String.join("\n",
                    "import socket, sys",
                    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 136)",
                    "s.setsockopt(136, 10, 16)",
                    "s.bind(('127.0.0.1', 0)); s.settimeout(10)",
                    "s.sendto(b'from-cpython', ('127.0.0.1', int(sys.argv[1])))",
                    "print(s.recvfrom(100)[0].decode())");
            Process python = new ProcessBuilder("python3", "-c", script, String.valueOf(port)).redirectErrorStream(true).start();
            try {
                Datagram d = receiver.recvFrom(100);
                assertArrayEquals("from-cpython".getBytes(StandardCharsets.US_ASCII), d.data());
                receiver.sendTo("from-jsock".getBytes(StandardCharsets.US_ASCII), d.address());
                assertTrue(python.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "python exits");
                assertEquals("from-jsock", new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            } finally {
                python.destroyForcibly();
            }
        }
    }

    private static byte[] padded(String s) {
        byte[] b = new byte[64];
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, 0, t.length);
        return b;
    }
}
