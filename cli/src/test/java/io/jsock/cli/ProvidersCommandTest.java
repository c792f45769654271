package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.SocketType;
import io.jsock.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which provider {@code jsock providers} says wins a triple: what {@link Sockets#providerFor} says,
 * by priority, then built-in before third-party, then by name, unless -Djsock.provider; providers
 * come from jars the test writes, found by discovery as a user's would be.
 */
class ProvidersCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(Sockets.PROVIDER_PROPERTY);
    }

    @Test
    void theHighestPriorityWins() throws Exception {
        Path jar = FakeProviders.jar(dir, "both.jar", FakeProviders.Refusing.class, FakeProviders.Wrapped.class);
        String out = withJar(jar, ProvidersCommand::render).value();
        assertTrue(out.contains(String.join("\n",
                "refusing  priority 5  " + FakeProviders.Refusing.class.getName(),
                "    AF_INET   SOCK_STREAM     used",
                "")), out);
        assertTrue(out.contains(String.join("\n",
                "wrapped-inet  priority -1  " + FakeProviders.Wrapped.class.getName(),
                "    AF_INET   SOCK_STREAM     not used: refusing wins (priority 5 > -1)",
                "")), out);
    }

    @Test
    void theSystemPropertyWinsOverPriority() throws Exception {
        Path jar = FakeProviders.jar(dir, "both.jar", FakeProviders.Refusing.class, FakeProviders.Wrapped.class);
        System.setProperty(Sockets.PROVIDER_PROPERTY, "wrapped-inet");
        String out = withJar(jar, ProvidersCommand::render).value();
        assertTrue(out.contains("    AF_INET   SOCK_STREAM     not used: wrapped-inet wins (-Djsock.provider=wrapped-inet)\n"), out);
        assertTrue(out.contains("    AF_INET   SOCK_STREAM     used (-Djsock.provider=wrapped-inet)\n"), out);
    }

    @Test
    void aPropertyNamingNoProviderIsReported() throws Exception {
        System.setProperty(Sockets.PROVIDER_PROPERTY, "nope");
        String out = withJar(FakeProviders.jar(dir, "r.jar", FakeProviders.Refusing.class), ProvidersCommand::render).value();
        assertTrue(out.startsWith("warning: -Djsock.provider=nope names no installed provider"), out);
    }

    @Test
    void aThirdPartyProviderOfEqualPriorityNeverTakesATripleFromABuiltInOneAndTheTieIsReported() throws Exception {
        Path jar = FakeProviders.jar(dir, "broken.jar", FakeProviders.Broken.class);
        Captured<String> c = withJar(jar, () -> {
            assertEquals("inet", Sockets.providerFor(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0).name(),
                    "'broken' sorts first by name, but inet is built in");
            return ProvidersCommand.render();
        });
        String out = c.value();
        assertTrue(out.contains("\n    AF_INET   SOCK_STREAM     used (wins a tie at priority 0)\n"), out);
        assertTrue(out.contains("broken  priority 0  " + FakeProviders.Broken.class.getName()
                + "\n    AF_INET   SOCK_STREAM     not used: inet wins a tie at priority 0 (a built-in provider first, then by name)\n"), out);
        assertTrue(out.endsWith("\nties (equal best priority for a triple; a built-in provider wins, then the first name in alphabetical order):\n"
                + "    AF_INET   SOCK_STREAM     inet, broken at priority 0: inet is used\n"), out);
        assertEquals("jsock: warning: providers inet, broken have the same priority 0 for AF_INET SOCK_STREAM; inet is used"
                + " (a built-in provider wins a tie, then the first name in alphabetical order); give one a higher priority()"
                + " or set -Djsock.provider=NAME\n", c.err(), "one warning on stderr");
        assertEquals("", withJar(jar, ProvidersCommand::render).err(), "once per JVM");
    }

    @Test
    void aServiceEntryThatCannotBeLoadedIsReportedInOneLineAndTheOthersAreListed() throws Exception {
        Path jar = FakeProviders.jar(dir, "missing.jar", "com.example.NoSuchProvider");
        ArgumentsTest.Outcome[] o = new ArgumentsTest.Outcome[1];
        Captured<String> c = withJar(null, () -> {
            o[0] = ArgumentsTest.run("providers", "--jar", jar.toString());
            return "";
        });
        assertEquals(0, o[0].status(), o[0].err());
        assertTrue(o[0].out().contains("inet  priority 0  io.jsock.inet.InetProvider"), o[0].out());
        assertEquals(1, c.err().lines().count(), c.err());
        assertTrue(c.err().startsWith("jsock: skipped a provider com.example.NoSuchProvider (" + jar + "): "), c.err());
        assertTrue(c.err().contains("not found"), c.err());
    }

    @Test
    void theBuiltInProvidersListEveryTransportRow() {
        ArgumentsTest.Outcome o = ArgumentsTest.run("providers");
        assertEquals(0, o.status(), o.err());
        for (String row : List.of("raw  priority 0  io.jsock.raw.RawProvider", "    AF_INET   SOCK_RAW        proto 1  used",
                "    AF_INET6  SOCK_RAW        proto 58  used", "    AF_PACKET SOCK_DGRAM      proto 768  used",
                "    AF_PACKET SOCK_RAW        proto 768  used", "    AF_TIPC   SOCK_RDM        used",
                "    AF_UNIX   SOCK_SEQPACKET  used")) {
            assertTrue(o.out().lines().anyMatch(row::equals), "row '" + row + "' in:\n" + o.out());
        }
        // the example seqpacket provider on this test class path yields AF_UNIX SOCK_SEQPACKET to unix at priority -1
        assertTrue(o.out().contains("    AF_UNIX   SOCK_SEQPACKET  not used: unix wins (priority 0 > -1)"), o.out());
        if (io.jsock.Sockets.provider("inet").supports(io.jsock.AddressFamily.AF_INET, io.jsock.SocketType.SOCK_STREAM, 262)) {
            assertTrue(o.out().contains("    AF_INET   SOCK_STREAM     proto 262  used"), o.out());
        }
        if (io.jsock.Sockets.provider("datagram").supports(io.jsock.AddressFamily.AF_INET6, io.jsock.SocketType.SOCK_DGRAM, 136)) {
            assertTrue(o.out().contains("    AF_INET6  SOCK_DGRAM      proto 136  used"), o.out());
        }
    }

    record Captured<T>(T value, String err) {
    }

    /** Runs {@code body} with a context class loader that also sees {@code jar} (unless null), capturing System.err. */
    private static <T> Captured<T> withJar(Path jar, Callable<T> body) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            ClassLoader loader = jar == null ? Main.class.getClassLoader() : Providers.withJars(List.of(jar.toString()));
            T value = Providers.in(loader, body);
            return new Captured<>(value, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }
}
