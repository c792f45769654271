package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.tck.TckTarget;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * jsock and CPython's socket module on either end of one loopback TCP connection: the bytes
 * arrive exact both ways, and the orderly end of stream (shutdown SHUT_WR) crosses over.
 */
class CpythonInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int SIZE = 1 << 20;

    /** Python client: sends SIZE seeded bytes from a thread, half-closes, reads the echo to its end and checks it. */
    private static final String PY_CLIENT = String.join("\n",
            "import random, socket, sys, threading",
            "family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET",
            "size, seed = int(sys.argv[3]), int(sys.argv[4])",
            "data = random.Random(seed).randbytes(size)",
            "s = socket.socket(family)",
            "s.settimeout(20)",
            "s.connect((sys.argv[1], int(sys.argv[2])))",
            "def send():",
            "    s.sendall(data)",
            "    s.shutdown(socket.SHUT_WR)",
            "t = threading.Thread(target=send)",
            "t.start()",
            "got = bytearray()",
            "while True:",
            "    chunk = s.recv(65536)",
            "    if not chunk:",
            "        break",
            "    got += chunk",
            "t.join(20)",
            "s.close()",
            "print('echo-exact' if bytes(got) == data else 'echo-differs %d of %d bytes' % (len(got), size))");

    /** Python server: prints its port, reads one connection to its end, sends the bytes back reversed, closes. */
    private static final String PY_SERVER = String.join("\n",
            "import socket, sys",
            "l = socket.socket()",
            "l.settimeout(20)",
            "l.bind(('127.0.0.1', 0))",
            "l.listen(1)",
            "print(l.getsockname()[1], flush=True)",
            "c, addr = l.accept()",
            "c.settimeout(20)",
            "got = bytearray()",
            "while True:",
            "    chunk = c.recv(65536)",
            "    if not chunk:",
            "        break",
            "    got += chunk",
            "c.sendall(bytes(reversed(got)))",
            "c.close()",
            "l.close()",
            "print('received %d' % len(got))");

    @Test
    void pythonClientGetsJsockServersEchoExact() throws Exception {
        echoForPythonClient(AddressFamily.AF_INET);
    }

    @Test
    void pythonClientGetsJsockServersEchoExactOverIpv6() throws Exception {
        echoForPythonClient(AddressFamily.AF_INET6);
    }

    private static void echoForPythonClient(AddressFamily family) throws Exception {
        Python.assumePresent();
        try (TckTarget t = new TckTarget(new InetProvider(), family, SocketType.SOCK_STREAM, 0)) {
            Socket listener = t.listener(); // skips the IPv6 case where the host has no ::1
            listener.setTimeout(LIMIT);
            InetSocketAddress at = (InetSocketAddress) listener.getSockName();
            try (Python client = Python.start(PY_CLIENT, at.getAddress().getHostAddress(), String.valueOf(at.getPort()),
                    String.valueOf(SIZE), "6254")) {
                Socket conn = t.track(listener.accept());
                conn.setTimeout(LIMIT);
                long echoed = 0;
                while (true) {
                    byte[] chunk = conn.recv(65536);
                    if (chunk.length == 0) {
                        break;
                    }
                    conn.sendAll(chunk);
                    echoed += chunk.length;
                }
                conn.shutdown(Shutdown.SHUT_WR);
                assertEquals(SIZE, echoed, "bytes the jsock server received from the python client before its SHUT_WR");
                assertEquals("echo-exact", client.finish(LIMIT).trim(), "the python client's check of the echo");
            }
        }
    }

    @Test
    void jsockClientGetsPythonServersReplyExact() throws Exception {
        Python.assumePresent();
        byte[] payload = new byte[SIZE];
        new Random(6254).nextBytes(payload);
        try (Python server = Python.start(PY_SERVER);
             Socket client = new InetProvider().open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            int port = Integer.parseInt(server.readLine(LIMIT).trim());
            SocketAddress at = new InetSocketAddress("127.0.0.1", port);
            client.setTimeout(LIMIT);
            client.connect(at);
            assertEquals(at, client.getPeerName(), "getPeerName() of the jsock client");
            client.sendAll(payload);
            client.shutdown(Shutdown.SHUT_WR);
            ByteArrayOutputStream reply = new ByteArrayOutputStream(SIZE);
            ByteBufferReader.readToEnd(client, reply);
            byte[] expected = new byte[SIZE];
            for (int i = 0; i < SIZE; i++) {
                expected[i] = payload[SIZE - 1 - i];
            }
            assertArrayEquals(expected, reply.toByteArray(), "the python server's reply (the payload reversed)");
            assertEquals("received " + SIZE, server.finish(LIMIT).trim(), "what the python server says it received");
        }
    }

    /** Reads with recvInto on a direct buffer, the zero-copy path, to the end of the stream. */
    private static final class ByteBufferReader {
        static void readToEnd(Socket s, ByteArrayOutputStream out) throws Exception {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(32 * 1024);
            byte[] copy = new byte[buf.capacity()];
            for (int reads = 0; reads < 1_000_000; reads++) {
                buf.clear();
                int n = s.recvInto(buf);
                if (n == 0) {
                    return;
                }
                buf.flip().get(copy, 0, n);
                out.write(copy, 0, n);
            }
            throw new AssertionError("no end of stream after a million reads");
        }
    }
}
