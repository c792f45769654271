package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.Sockets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jsock echo} on the server module: many connections, no platform thread each (issue 14's 1795 threads for 5000 clients). */
class EchoScaleTest {
    private static final int CLIENTS = 300;
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void idleConnectionsHoldNoPlatformThreadOnJava21() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21, "Virtual threads need Java 21 or later; before, echo runs a platform thread per connection.");
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "inet", "stream", "127.0.0.1:0")) {
            String text = echo.awaitListening();
            int colon = text.lastIndexOf(':');
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(text.substring(colon + 1)));
            int before = Thread.getAllStackTraces().size(); // platform threads only: virtual ones are not listed
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Socket c = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
                    clients.add(c);
                    c.setTimeout(LIMIT);
                    c.connect(server);
                    byte[] b = {(byte) i};
                    c.sendAll(b);
                    assertArrayEquals(b, c.recv(1), "client " + i + " echoed");
                }
                int during = Thread.getAllStackTraces().size();
                assertTrue(during - before < CLIENTS / 10, CLIENTS + " idle connections took " + (during - before)
                        + " platform threads (from " + before + " to " + during + ")");
            } finally {
                clients.forEach(Socket::close);
            }
        }
    }
}
