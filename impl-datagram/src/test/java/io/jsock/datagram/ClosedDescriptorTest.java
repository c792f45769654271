package io.jsock.datagram;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without {@code --add-opens java.base/sun.nio.ch}, what needs the descriptor says so: {@code fileno}
 * and a zero-length datagram on a connected socket throw EOPNOTSUPP naming the flag, and all else works.
 */
class ClosedDescriptorTest {

    /** Run in a JVM without the flag by {@link #withoutAddOpensTheDescriptorCallsSaySo()}. */
    public static void main(String[] args) throws Exception {
        DatagramProvider provider = new DatagramProvider();
        try (Socket a = provider.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0);
             Socket b = provider.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0)) {
            b.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            a.connect(b.getSockName());
            System.out.println("fileno: " + outcome(() -> a.fileno()));
            System.out.println("empty send: " + outcome(() -> a.send(new byte[0])));
            System.out.println("send: " + outcome(() -> a.send(new byte[] {1})));
            System.out.println("repr: " + a);
        }
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static String outcome(Call c) {
        try {
            return "returned " + c.call();
        } catch (SocketError e) {
            return e.errno() + " " + e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void withoutAddOpensTheDescriptorCallsSaySo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ClosedDescriptorTest.class.getName())
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not end within 30 s");
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(0, p.exitValue(), "exit status of the child JVM: " + String.join("\n", lines));
        String flag = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED";
        assertEquals("fileno: " + Errno.EOPNOTSUPP + " fileno: JDK NIO keeps the descriptor private; run java with " + flag
                + " (jsock.jar's manifest gives it)", lines[0], "fileno without the flag");
        assertEquals("empty send: " + Errno.EOPNOTSUPP + " send: a zero-length datagram on a connected socket needs the descriptor, "
                + "which JDK NIO keeps private; run java with " + flag + " (jsock.jar's manifest gives it)", lines[1], "empty send without the flag");
        assertEquals("send: returned 1", lines[2], "a datagram with bytes needs no flag");
        assertTrue(lines[3].startsWith("repr: <socket family=AF_INET, type=SOCK_DGRAM, proto=0, laddr="), "repr leaves out the fd it cannot reach: " + lines[3]);
    }
}
