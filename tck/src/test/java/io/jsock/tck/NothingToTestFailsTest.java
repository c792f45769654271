package io.jsock.tck;

import io.jsock.SocketType;
import io.jsock.spi.SocketProvider;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** A provider's TCK run that would test nothing fails with the reason; -Djsock.tck.case runs just the cases it names. */
class NothingToTestFailsTest {

    /** Claims no triple at all. */
    static class NoTripleTck extends ProviderTck {
        @Override
        protected SocketProvider provider() {
            return new TckRunnerTest.RefusingProvider();
        }
    }

    static class NoTripleProperties extends ProviderProperties {
        @Override
        protected SocketProvider provider() {
            return new TckRunnerTest.RefusingProvider();
        }
    }

    /** Claims AF_INET SOCK_STREAM, and keeps none of it. */
    static class NoneSelectedTck extends ProviderTck {
        @Override
        protected SocketProvider provider() {
            return new TckRunnerTest.RefusingProvider(SocketType.SOCK_STREAM);
        }

        @Override
        protected Predicate<Contracts.Triple> triples() {
            return t -> t.type() == SocketType.SOCK_DGRAM;
        }
    }

    static class StreamTck extends ProviderTck {
        @Override
        protected SocketProvider provider() {
            return new TckRunnerTest.RefusingProvider(SocketType.SOCK_STREAM);
        }
    }

    @Test
    void aProviderClaimingNoTripleFailsTheCasesAndTheProperties() {
        TestExecutionSummary cases = run(NoTripleTck.class);
        assertEquals(1, cases.getTotalFailureCount(), "the factory fails");
        String message = cases.getFailures().get(0).getException().getMessage();
        assertTrue(message.startsWith("refusing claims no triple the TCK tests"), message);
        assertTrue(message.contains("SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET"), message);

        TestExecutionSummary properties = run(NoTripleProperties.class);
        assertTrue(properties.getTestsFoundCount() > 0, "the properties were found");
        assertEquals(0, properties.getTestsSkippedCount(), "nothing is skipped as if it did not apply");
        assertEquals(properties.getTestsFoundCount(), properties.getTotalFailureCount(), "every property fails: " + messages(properties));
        assertTrue(messages(properties).stream().allMatch(m -> m.contains("refusing claims no triple the TCK tests")), messages(properties).toString());
    }

    @Test
    void triplesThatKeepNoneFail() {
        TestExecutionSummary s = run(NoneSelectedTck.class);
        assertEquals(1, s.getTotalFailureCount());
        assertEquals("triples() keeps none of refusing's triples [AF_INET SOCK_STREAM]; a TCK run that tests nothing fails",
                s.getFailures().get(0).getException().getMessage());
    }

    @Test
    void theCasePropertyRunsOnlyTheCasesItNames() {
        TestExecutionSummary one = runWith("stream.lifecycle.close-is-idempotent", StreamTck.class);
        assertEquals(1, one.getTestsStartedCount(), "one case: " + messages(one));
        TestExecutionSummary group = runWith("stream.timeout.*", StreamTck.class);
        long timeoutCases = Contracts.all().stream().filter(c -> c.id().startsWith("stream.timeout.")).count();
        assertEquals(timeoutCases, group.getTestsStartedCount(), "the stream.timeout group");
    }

    @Test
    void aCasePropertyNamingNoCaseFails() {
        TestExecutionSummary s = runWith("stream.no-such-case", StreamTck.class);
        assertEquals(1, s.getTotalFailureCount());
        assertEquals("-Djsock.tck.case=stream.no-such-case names no case to refusing's triples: a TCK run that tests nothing fails",
                s.getFailures().get(0).getException().getMessage());
    }

    private static TestExecutionSummary runWith(String cases, Class<?> testClass) {
        String before = System.getProperty(ProviderTck.CASE_PROPERTY);
        System.setProperty(ProviderTck.CASE_PROPERTY, cases);
        try {
            return run(testClass);
        } finally {
            if (before == null) {
                System.clearProperty(ProviderTck.CASE_PROPERTY);
            } else {
                System.setProperty(ProviderTck.CASE_PROPERTY, before);
            }
        }
    }

    /** Runs the class as Surefire would, quietly: RefusingProvider prints, jqwik logs and prints a banner. */
    private static TestExecutionSummary run(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Logger jqwikLog = Logger.getLogger("net.jqwik");
        Level level = jqwikLog.getLevel();
        PrintStream stdout = System.out;
        jqwikLog.setLevel(Level.WARNING);
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            launcher.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(testClass))
                    .configurationParameters(Map.of("jqwik.database", "", "jqwik.reporting.usejunitplatform", "true"))
                    .build(), listener);
        } finally {
            System.setOut(stdout);
            jqwikLog.setLevel(level);
        }
        return listener.getSummary();
    }

    private static List<String> messages(TestExecutionSummary s) {
        return s.getFailures().stream().map(f -> String.valueOf(f.getException().getMessage())).collect(Collectors.toList());
    }
}
