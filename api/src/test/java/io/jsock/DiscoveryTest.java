package io.jsock;

import io.jsock.spi.SocketProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery as SLF4J does it: a jar whose service file names a provider that cannot be used is
 * reported once, on one line naming the jar and the cause, and the other providers work; equal
 * priorities are broken by the documented rule and reported once.
 */
class DiscoveryTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(Sockets.PROVIDER_PROPERTY);
    }

    /** Claims AF_VSOCK SOCK_STREAM; opening it says who opened. */
    abstract static class Vsock implements SocketProvider {
        @Override
        public boolean supports(AddressFamily family, SocketType type, int proto) {
            return family == AddressFamily.AF_VSOCK && type == SocketType.SOCK_STREAM && proto == 0;
        }

        @Override
        public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
            throw SocketError.of(Errno.EPERM, "socket with fake provider " + name());
        }
    }

    public static final class Alpha extends Vsock {
        @Override
        public String name() {
            return "alpha";
        }
    }

    public static final class Beta extends Vsock {
        @Override
        public String name() {
            return "beta";
        }
    }

    public static final class ThrowsInConstructor extends Vsock {
        public ThrowsInConstructor() {
            throw new IllegalStateException("boom in the constructor");
        }

        @Override
        public String name() {
            return "never";
        }
    }

    public static final class ThrowsInName extends Vsock {
        @Override
        public String name() {
            throw new UnsupportedOperationException("no name today");
        }
    }

    /** A second provider named alpha. */
    public static final class AlphaAgain extends Vsock {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public int priority() {
            return -3;
        }
    }

    @Test
    void aBrokenServiceEntryIsReportedOnceAndSkippedAndTheOthersWork() throws Exception {
        Path jar = jar("broken.jar", "io.jsock.NoSuchProvider", ThrowsInConstructor.class.getName(),
                ThrowsInName.class.getName(), Alpha.class.getName());
        Captured<List<SocketProvider>> first = withJars(Sockets::providers, jar);
        List<String> names = first.value().stream().map(SocketProvider::name).toList();
        assertEquals(List.of("high", "alpha", "low"), names, "the usable providers, best first");
        List<String> lines = first.err().lines().toList();
        assertEquals(3, lines.size(), "one line per broken entry: " + first.err());
        String where = "(" + jar + ")";
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jsock: skipped a provider io.jsock.NoSuchProvider " + where + ": ")
                && l.contains("not found")), first.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jsock: skipped a provider " + ThrowsInConstructor.class.getName() + " " + where)
                && l.contains("boom in the constructor")), first.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jsock: skipped provider " + ThrowsInName.class.getName())
                && l.contains("no name today")), first.err());

        Captured<List<SocketProvider>> again = withJars(() -> {
            SocketError e = assertThrows(SocketError.class, () -> Sockets.socket(AddressFamily.AF_VSOCK, SocketType.SOCK_STREAM));
            assertEquals("socket with fake provider alpha: Operation not permitted", e.getMessage());
            return Sockets.providers();
        }, jar);
        assertEquals("", again.err(), "reported once per JVM, though another class loader loads the jar again");
    }

    @Test
    void equalPrioritiesAreBrokenByNameAndReportedOnce() throws Exception {
        Path jar = jar("tie.jar", Beta.class.getName(), Alpha.class.getName());
        Captured<String> c = withJars(() -> Sockets.providerFor(AddressFamily.AF_VSOCK, SocketType.SOCK_STREAM, 0).name(), jar);
        assertEquals("alpha", c.value(), "the first name in alphabetical order wins a tie between third-party providers");
        assertEquals("jsock: warning: providers alpha, beta have the same priority 0 for AF_VSOCK SOCK_STREAM; alpha is used"
                + " (a built-in provider wins a tie, then the first name in alphabetical order); give one a higher priority()"
                + " or set -Djsock.provider=NAME\n", c.err());
        System.setProperty(Sockets.PROVIDER_PROPERTY, "beta");
        Captured<String> forced = withJars(() -> Sockets.providerFor(AddressFamily.AF_VSOCK, SocketType.SOCK_STREAM, 0).name(), jar);
        assertEquals("beta", forced.value(), "-Djsock.provider breaks a tie too");
        assertEquals("", forced.err(), "the tie was reported already");
    }

    @Test
    void aSecondProviderOfATakenNameIsSkipped() throws Exception {
        Path jar = jar("twice.jar", AlphaAgain.class.getName(), Alpha.class.getName());
        Captured<List<SocketProvider>> c = withJars(Sockets::providers, jar);
        assertEquals(List.of("high", "alpha", "low"), c.value().stream().map(SocketProvider::name).toList());
        assertTrue(c.value().stream().anyMatch(p -> p instanceof Alpha), "the better-ranked alpha stays: " + c.value());
        assertTrue(c.err().startsWith("jsock: skipped provider " + AlphaAgain.class.getName() + " ("), c.err());
        assertTrue(c.err().contains("its name 'alpha' is taken by " + Alpha.class.getName()), c.err());
    }

    @Test
    void builtInProvidersAreKnownByClassName() {
        assertEquals(List.of("io.jsock.datagram.DatagramProvider", "io.jsock.inet.InetProvider", "io.jsock.raw.RawProvider",
                "io.jsock.unix.UnixProvider"),
                Discovery.BUILT_IN.stream().sorted().toList());
    }

    // ---- helpers ------------------------------------------------------------------------------

    record Captured<T>(T value, String err) {
    }

    /** Runs {@code body} with a context class loader that also sees {@code jars}, capturing stderr. */
    private static <T> Captured<T> withJars(Callable<T> body, Path... jars) throws Exception {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(urls, DiscoveryTest.class.getClassLoader())) {
            t.setContextClassLoader(loader);
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            T value = body.call();
            return new Captured<>(value, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            t.setContextClassLoader(old);
        }
    }

    /** A jar holding nothing but a service file that lists the class names (the classes are on the test class path). */
    private Path jar(String name, String... classNames) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/" + SocketProvider.class.getName()));
            out.write(("# a third party's providers\n" + String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
