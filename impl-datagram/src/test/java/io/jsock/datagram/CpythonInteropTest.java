package io.jsock.datagram;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * jsock's UDP sockets against CPython's on this host: each side's datagrams reach the other and the
 * replies come back, and the numbers Python reports for the same calls match jsock's.
 */
class CpythonInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final DatagramProvider provider = new DatagramProvider();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void python() throws Exception {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import socket").redirectErrorStream(true).start();
            if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new TestAbortedException("python3 does not run here");
            }
        } catch (IOException e) {
            throw new TestAbortedException("python3 is not installed: " + e.getMessage());
        }
    }

    @AfterEach
    void cleanUp() {
        sockets.forEach(Socket::close);
        processes.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest
    @EnumSource(value = AddressFamily.class, names = {"AF_INET", "AF_INET6"})
    void pythonClientGetsItsDatagramEchoedByJsock(AddressFamily family) throws Exception {
        Socket server = udp(family);
        server.bind(new InetSocketAddress(loopback(family), 0));
        server.setTimeout(WAIT);
        int port = ((InetSocketAddress) server.getSockName()).getPort();
        Process client = python(
                "import socket, sys",
                "s = socket.socket(socket." + family + ", socket.SOCK_DGRAM)",
                "s.settimeout(10)",
                "s.sendto(b'ping from python', ('" + host(family) + "', " + port + "))",
                "data, addr = s.recvfrom(1000)",
                "print(data.decode(), addr[1] == " + port + ", s.getsockname()[1])");
        Datagram d = server.recvFrom(1000);
        assertArrayEquals(bytes("ping from python"), d.data(), "the datagram CPython sent");
        server.sendTo(bytes("pong from jsock"), d.address());
        String line = firstLine(client);
        int pythonPort = ((InetSocketAddress) d.address()).getPort();
        assertEquals("pong from jsock True " + pythonPort, line, "what the CPython client printed");
        assertEquals(0, exit(client), "exit status of the CPython client");
    }

    @ParameterizedTest
    @EnumSource(value = AddressFamily.class, names = {"AF_INET", "AF_INET6"})
    void jsockClientGetsItsDatagramEchoedByPython(AddressFamily family) throws Exception {
        Process server = python(
                "import socket",
                "s = socket.socket(socket." + family + ", socket.SOCK_DGRAM)",
                "s.bind(('" + host(family) + "', 0))",
                "s.settimeout(10)",
                "print(s.getsockname()[1], flush=True)",
                "data, addr = s.recvfrom(1000)",
                "s.sendto(data.upper(), addr)",
                "data, addr = s.recvfrom(1000)",
                "s.sendto(str(len(data)).encode(), addr)");
        int port = Integer.parseInt(firstLine(server));
        Socket client = udp(family);
        client.setTimeout(WAIT);
        InetSocketAddress python = new InetSocketAddress(loopback(family), port);
        client.connect(python);
        client.send(bytes("hello from jsock"));
        Datagram d = client.recvFrom(1000);
        assertArrayEquals(bytes("HELLO FROM JSOCK"), d.data(), "CPython's echo");
        assertEquals(python, d.address(), "sender of CPython's echo");
        client.send(new byte[0]);
        assertArrayEquals(bytes("0"), client.recv(100), "CPython's count of the bytes in jsock's empty datagram");
        assertEquals(0, exit(server), "exit status of the CPython server");
    }

    @Test
    void optionValuesMatchPython() throws Exception {
        Process p = python(
                "import socket",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "d = [s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)]",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)",
                "d += [s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)]",
                "d += [s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL), s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP)]",
                "print(' '.join(str(x) for x in d))");
        String expected = firstLine(p);
        Socket s = udp(AddressFamily.AF_INET);
        StringBuilder got = new StringBuilder();
        got.append(s.getOption(StandardSocketOptions.SO_RCVBUF)).append(' ').append(s.getOption(StandardSocketOptions.SO_SNDBUF));
        s.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        s.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
        got.append(' ').append(s.getOption(StandardSocketOptions.SO_RCVBUF)).append(' ').append(s.getOption(StandardSocketOptions.SO_SNDBUF));
        got.append(' ').append(s.getOption(StandardSocketOptions.IP_MULTICAST_TTL))
                .append(' ').append(s.getOption(StandardSocketOptions.IP_MULTICAST_LOOP) ? 1 : 0);
        assertEquals(expected, got.toString(), "SO_RCVBUF, SO_SNDBUF (default, then after setting 4096 and 8192), IP_MULTICAST_TTL, IP_MULTICAST_LOOP");
        assertEquals(0, exit(p), "exit status of python");
    }

    private Socket udp(AddressFamily family) throws SocketError {
        Socket s = provider.open(family, SocketType.SOCK_DGRAM, 0);
        sockets.add(s);
        return s;
    }

    private Process python(String... lines) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", String.join("\n", lines)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        return p;
    }

    /** The process's first line of output; null if it ended without one (its own socket timeout bounds the wait). */
    private static String firstLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static int exit(Process p) throws InterruptedException {
        if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("python did not end within " + WAIT);
        }
        return p.exitValue();
    }

    private static InetAddress loopback(AddressFamily family) throws IOException {
        return InetAddress.getByName(host(family));
    }

    private static String host(AddressFamily family) {
        return family == AddressFamily.AF_INET ? "127.0.0.1" : "::1";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
