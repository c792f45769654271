package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.MessageFlags;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** TCP urgent data (MSG_OOB) between jsock and CPython over loopback, both ways. */
class OutOfBandInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void cpythonReadsTheUrgentByteJsockSent() throws Exception {
        String client = String.join("\n",
                "import select, socket, sys",
                "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)",
                "data = b''",
                "while len(data) < 3:", // a read stops at the urgent mark, which follows 'abc'
                "    chunk = s.recv(3 - len(data))",
                "    if not chunk: break",
                "    data += chunk",
                "select.select([], [], [s], 10)", // exceptional: the urgent byte is there
                "s.settimeout(None)", // CPython's timeout mode would wait for POLLIN, which urgent data does not raise
                "print(data.decode(), s.recv(1, socket.MSG_OOB).decode(), flush=True)",
                "s.sendall(b'x')",
                "print(s.recv(10).decode())");
        try (Socket server = new InetProvider().open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.listen(1);
            server.setTimeout(LIMIT);
            int port = ((InetSocketAddress) server.getSockName()).getPort();
            try (Python python = Python.start(client, Integer.toString(port));
                 Socket conn = server.accept().socket()) {
                conn.sendAll(ascii("abc"));
                assertEquals(1, conn.send(ascii("!"), MessageFlags.MSG_OOB), "send(MSG_OOB) of one byte");
                assertEquals("abc !", python.readLine(LIMIT).trim(), "python's in-band bytes and its recv(1, MSG_OOB)");
                conn.setTimeout(LIMIT);
                assertArrayEquals(ascii("x"), conn.recv(1), "python's go-on byte");
                conn.sendAll(ascii("def")); // after python read the urgent byte: reading past the mark would have dropped it
                assertEquals("def", python.finish(LIMIT).trim(), "the in-band bytes after the urgent one");
            }
        }
    }

    @Test
    void jsockReadsTheUrgentByteCpythonSent() throws Exception {
        String server = String.join("\n",
                "import socket",
                "l = socket.create_server(('127.0.0.1', 0))",
                "l.settimeout(10)",
                "print(l.getsockname()[1], flush=True)",
                "c, _ = l.accept()",
                "c.settimeout(10)",
                "c.sendall(b'abc')",
                "c.send(b'!', socket.MSG_OOB)",
                "c.recv(1)",
                "c.sendall(b'def')",
                "c.shutdown(socket.SHUT_WR)",
                "c.recv(1)");
        try (Python python = Python.start(server);
             Socket client = new InetProvider().open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            int port = Integer.parseInt(python.readLine(LIMIT).trim());
            client.setTimeout(LIMIT);
            client.connect(new InetSocketAddress("127.0.0.1", port));
            ByteArrayOutputStream inBand = new ByteArrayOutputStream();
            for (int i = 0; i < 100 && inBand.size() < 3; i++) { // a read stops at the urgent mark, which follows "abc"
                inBand.write(client.recv(3 - inBand.size()));
            }
            assertArrayEquals(ascii("abc"), inBand.toByteArray(), "the in-band bytes before the urgent one");
            assertArrayEquals(ascii("!"), urgent(client), "recv(1, MSG_OOB) of python's urgent byte");
            client.sendAll(new byte[] {1});
            for (int i = 0; i < 100 && inBand.size() < 6; i++) {
                byte[] more = client.recv(6 - inBand.size());
                if (more.length == 0) {
                    break;
                }
                inBand.write(more);
            }
            assertArrayEquals(ascii("abcdef"), inBand.toByteArray(), "the in-band bytes, without the urgent one");
            client.sendAll(new byte[] {1});
            client.shutdown(Shutdown.SHUT_WR);
            python.finish(LIMIT);
        }
    }

    /**
     * recv(1, MSG_OOB) once the urgent byte is there: until its segment arrives Linux answers EINVAL
     * (no urgent data) or EAGAIN (announced, not yet come), so it is asked again within a deadline.
     */
    private static byte[] urgent(Socket s) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            try {
                return s.recv(1, MessageFlags.MSG_OOB);
            } catch (io.jsock.SocketError e) {
                if ((e.errno() != io.jsock.Errno.EINVAL && e.errno() != io.jsock.Errno.EAGAIN) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
