package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.tck.TckTarget;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fileno(): the real descriptor when sun.nio.ch is opened to jsock, EOPNOTSUPP naming the flag when not. */
class FilenoTest {
    private static final String CLASS_PATH_FLAG = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED";

    @Test
    void filenoIsTheDescriptorOfTheSocketInProcFs() throws Exception {
        try (TckTarget t = new TckTarget(new InetProvider(), AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            TckTarget.Connection c = t.connection();
            for (Socket s : List.of(c.client(), c.server(), c.listener())) {
                Path fd = Path.of("/proc/self/fd/" + s.fileno());
                assertTrue(Files.readSymbolicLink(fd).toString().startsWith("socket:["), fd + " of " + s + " must be a socket");
            }
            Socket s = c.client();
            s.close();
            assertEquals(-1, s.fileno(), "fileno() of a closed socket");
        }
    }

    @Test
    void withoutTheFlagFilenoRaisesEopnotsuppNamingIt() throws Exception {
        Descriptors closed = Descriptors.probe(() -> {
            throw new InaccessibleObjectException("module java.base does not \"opens sun.nio.ch\" to unnamed module");
        }, FilenoTest.class.getModule()); // unnamed: the test runs on the class path
        try (SocketChannel ch = SocketChannel.open()) {
            SocketError e = assertErrno(Errno.EOPNOTSUPP, "fileno with sun.nio.ch closed", () -> closed.of(ch, "fileno"));
            assertTrue(e.getMessage().contains(CLASS_PATH_FLAG), "message must name " + CLASS_PATH_FLAG + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("fileno: Operation not supported"), "message must name the call: " + e.getMessage());
        }
    }

    @Test
    void onTheModulePathTheFlagOpensToIoJsockInet() {
        Module named = Socket.class.getModule(); // any named module shows the form; on the module path this one is io.jsock
        String flag = Descriptors.addOpensFlag(named);
        if (named.isNamed()) {
            assertEquals("--add-opens java.base/sun.nio.ch=" + named.getName(), flag, "flag for a named module");
        } else {
            assertEquals(CLASS_PATH_FLAG, flag, "flag on the class path");
        }
        assertEquals("--add-opens java.base/sun.nio.ch=java.base", Descriptors.addOpensFlag(Object.class.getModule()),
                "flag for a named module");
    }

    /** The real thing: a JVM started without the flag gets EOPNOTSUPP with the flag in the message. */
    @Test
    void aJvmWithoutTheFlagGetsEopnotsupp() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                FilenoProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not end within 60 s");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.exitValue(), "probe JVM exit status; output: " + out);
            assertTrue(out.startsWith("EOPNOTSUPP fileno: Operation not supported"), "probe output: " + out);
            assertTrue(out.contains(CLASS_PATH_FLAG), "probe output must name " + CLASS_PATH_FLAG + ": " + out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Run in a JVM without --add-opens: prints the errno and message of fileno(). */
    public static final class FilenoProbe {
        public static void main(String[] args) throws IOException {
            try (Socket s = new InetProvider().open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
                System.out.println("fileno returned " + s.fileno());
            } catch (SocketError e) {
                System.out.println(e.errno() + " " + e.getMessage());
            }
        }
    }
}
