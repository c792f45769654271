package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.tck.TckTarget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the stream and datagram groups check of descriptors: close-on-exec, fileno without JVM flags. */
final class Descriptors {
    /** O_CLOEXEC as /proc/self/fdinfo's octal flags show it (FD_CLOEXEC there). */
    static final int O_CLOEXEC = 02000000;

    private static final Pattern FILENO = Pattern.compile("fileno (\\d+) (.*)");

    private Descriptors() {
    }

    /** Asserts that the descriptor of {@code s} is close-on-exec; skips where fileno() is not supported. */
    static void assertCloseOnExec(TckTarget t, Socket s, String what) throws Exception {
        int value = fdinfoFlags(t, s);
        assertTrue((value & O_CLOEXEC) != 0, "the descriptor of " + what + " (fd " + s.fileno() + ") must be close-on-exec, as "
                + "socket(2) with SOCK_CLOEXEC makes it; /proc/self/fdinfo says flags: " + Integer.toOctalString(value)
                + ", without O_CLOEXEC (02000000)");
    }

    /** The descriptor's flags as /proc/self/fdinfo's octal {@code flags:} line gives them; skips where that is not there. */
    static int fdinfoFlags(TckTarget t, Socket s) throws Exception {
        int fd = t.optional("fileno()", s::fileno);
        Path info = Path.of("/proc/self/fdinfo/" + fd);
        if (!Files.isReadable(info)) {
            throw t.skip(info + " is not there to read a descriptor's flags.");
        }
        List<String> lines = Files.readAllLines(info);
        String flags = lines.stream().filter(l -> l.startsWith("flags:")).findFirst()
                .orElseThrow(() -> new AssertionError(info + " has no flags: line: " + lines))
                .substring("flags:".length()).strip();
        return Integer.parseInt(flags, 8);
    }

    /**
     * Asserts that both sockets of a socketpair of the triple are close-on-exec; false when the
     * provider has no socketpair for it (EOPNOTSUPP, EAFNOSUPPORT).
     */
    static boolean assertPairCloseOnExec(TckTarget t) throws Exception {
        SocketPair pair;
        try {
            pair = t.provider().openPair(t.family(), t.type());
        } catch (SocketError e) {
            if (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.EAFNOSUPPORT) {
                return false;
            }
            throw e;
        }
        t.track(pair.first());
        t.track(pair.second());
        assertCloseOnExec(t, pair.first(), "the first socket of socketpair()");
        assertCloseOnExec(t, pair.second(), "the second socket of socketpair()");
        return true;
    }

    /** Asserts that fileno() of a new socket gives a socket's descriptor in a JVM started without any flag. */
    static void assertFilenoInFlaglessJvm(TckTarget t) throws Exception {
        ChildJvm.Result r = ChildJvm.probe(t, "fileno", Map.of());
        String line = r.lines().isEmpty() ? "" : r.lines().get(0);
        Matcher m = FILENO.matcher(line);
        if (!m.matches()) {
            fail("fileno() of a new socket in a JVM started without --add-opens or any other flag must give the descriptor; "
                    + "the probe JVM printed '" + line + "'" + (r.stderr().isBlank() ? "" : ", and on stderr " + r.stderr().strip()));
        }
        assertTrue(m.group(2).startsWith("socket:["), "fileno() " + m.group(1) + " in a JVM started without flags must be a socket's "
                + "descriptor: /proc/self/fd/" + m.group(1) + " links to " + m.group(2));
    }
}
