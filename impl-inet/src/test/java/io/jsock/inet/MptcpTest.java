package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.Sockopt;
import io.jsock.core.NativeSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPPROTO_MPTCP on the inet provider where the kernel has it: an MPTCP socket, as the kernel and CPython see it. */
class MptcpTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @BeforeEach
    void needsMptcp() {
        Assumptions.assumeTrue(NativeSocket.kernelHas(AddressFamily.AF_INET, SocketType.SOCK_STREAM, Protocols.IPPROTO_MPTCP),
                "This kernel has no MPTCP (net.mptcp.enabled is 0, or it is not built).");
    }

    @Test
    void mptcpSocketIsMptcpToTheKernel() throws Exception {
        assertTrue(new InetProvider().supports(AddressFamily.AF_INET6, SocketType.SOCK_STREAM, Protocols.IPPROTO_MPTCP));
        try (Socket m = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM, Protocols.IPPROTO_MPTCP);
             Socket t = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM)) {
            assertEquals(Protocols.IPPROTO_MPTCP, m.proto());
            assertEquals(1, m.getOption(Sockopt.SOL_TCP, Sockopt.TCP_IS_MPTCP), "TCP_IS_MPTCP on an MPTCP socket");
            assertEquals(0, t.getOption(Sockopt.SOL_TCP, Sockopt.TCP_IS_MPTCP), "and 0 on a TCP one");
            assertEquals(Protocols.IPPROTO_MPTCP, m.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_PROTOCOL), "SO_PROTOCOL");
            assertTrue(m.toString().contains("proto=262"), m.toString());
        }
    }

    @Test
    void cpythonMptcpClientTalksToJsockMptcpServer() throws Exception {
        String client = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)",
                "s.settimeout(10)",
                "s.connect(('127.0.0.1', int(sys.argv[1])))",
                "print(s.getsockopt(socket.SOL_TCP, 43), flush=True)",
                "s.sendall(b'over-mptcp'); s.shutdown(socket.SHUT_WR)",
                "print(s.recv(100).decode())");
        try (Socket server = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM, Protocols.IPPROTO_MPTCP)) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            server.listen(1);
            server.setTimeout(LIMIT);
            int port = ((InetSocketAddress) server.getSockName()).getPort();
            Process python = new ProcessBuilder("python3", "-c", client, String.valueOf(port)).redirectErrorStream(true).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
                 Socket conn = server.accept().socket()) {
                assertEquals(Protocols.IPPROTO_MPTCP, conn.proto(), "the accepted socket keeps the protocol");
                assertEquals(1, conn.getOption(Sockopt.SOL_TCP, Sockopt.TCP_IS_MPTCP), "the connection is MPTCP on our side");
                assertEquals("1", lines.readLine(), "and on CPython's");
                conn.setTimeout(LIMIT);
                byte[] got = conn.recv(100);
                assertArrayEquals("over-mptcp".getBytes(StandardCharsets.US_ASCII), got);
                conn.sendAll("back".getBytes(StandardCharsets.US_ASCII));
                assertEquals("back", lines.readLine(), "what CPython received");
                assertTrue(python.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
            } finally {
                python.destroyForcibly();
            }
        }
    }
}
