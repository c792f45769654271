package io.jsock.tck;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.spi.SocketProvider;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** TckRunner against providers whose behaviour is known: what it counts, names and writes. */
class TckRunnerTest {

    /** Supports the triples given and refuses to open any socket, printing to stdout first. */
    static class RefusingProvider implements SocketProvider {
        private final List<SocketType> types;

        RefusingProvider(SocketType... types) {
            this.types = List.of(types);
        }

        @Override
        public String name() {
            return "refusing";
        }

        @Override
        public boolean supports(AddressFamily family, SocketType type, int proto) {
            return family == AddressFamily.AF_INET && types.contains(type) && proto == 0;
        }

        @Override
        public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
            System.out.println("refusing prints this");
            throw SocketError.of(Errno.EPROTONOSUPPORT, "socket(" + family + ", " + type + ")");
        }
    }

    @Test
    void eachCaseOfARowIsCountedInItsGroupAndEachFailureNamesItsContract() {
        TckReport report = TckRunner.run(List.of(new RefusingProvider(SocketType.SOCK_STREAM)));
        assertEquals(1, report.rows().size(), report.toString());
        TckReport.Row row = report.rows().get(0);
        assertEquals("refusing AF_INET SOCK_STREAM", row.label());
        Contracts.Triple triple = new Contracts.Triple(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0);
        for (Map.Entry<String, List<Contracts.Case>> group : Contracts.casesFor(triple).entrySet()) {
            TckReport.Counts c = row.groups().get(group.getKey());
            assertNotNull(c, "column " + group.getKey());
            assertEquals(group.getValue().size(), c.total(), "cases counted in " + group.getKey());
        }
        assertFalse(report.passed(), "a provider that opens no socket fails");
        assertTrue(row.totals().failed() > 0);
        assertEquals(row.totals().failed(), row.failures().size(), "one failure entry per failed case");
        for (TckReport.Failure f : row.failures()) {
            Contracts.Case known = Contracts.byId(f.id()).orElseThrow(() -> new AssertionError("unknown id " + f.id()));
            assertEquals(known.statement(), f.statement(), f.id());
            assertEquals(known.group(), f.group(), f.id());
            TckReport.Problem p = f.exception();
            if (p.type().equals(SocketError.class.getName())) {
                assertEquals("socket(AF_INET, SOCK_STREAM): Protocol not supported", p.message(), f.id());
                assertTrue(p.frames().get(0).startsWith("io.jsock.SocketError.of") || p.frames().get(0).contains("RefusingProvider.open"),
                        "frames start where the error was made, not in JUnit: " + p.frames());
            }
            assertTrue(p.frames().stream().noneMatch(fr -> fr.startsWith("org.junit.")), "no JUnit frames: " + p.frames());
        }
    }

    @Test
    void theRunnerWritesNothingToStdoutAndKeepsWhatACasePrintsInTheDetails() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        TckReport report;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            report = TckRunner.run(List.of(new RefusingProvider(SocketType.SOCK_STREAM)));
        } finally {
            System.setOut(stdout);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "stdout during the run");
        assertTrue(report.failures().stream().anyMatch(f -> f.details() != null && f.details().contains("refusing prints this")),
                "a case's output is in its failure's details");
    }

    @Test
    void aDatagramRowRunsNoStreamCase() {
        TckReport report = TckRunner.run(List.of(new RefusingProvider(SocketType.SOCK_DGRAM)));
        assertEquals(1, report.rows().size());
        TckReport.Row row = report.rows().get(0);
        List<String> ids = new ArrayList<>();
        row.failures().forEach(f -> ids.add(f.id()));
        row.skipped().forEach(s -> ids.add(s.id()));
        assertTrue(ids.stream().noneMatch(id -> id.startsWith("stream.") || id.startsWith("message.")), "ids run for SOCK_DGRAM: " + ids);
    }

    @Test
    void propertiesRunByTheirDeclaredSemanticsNotTheirIdPrefix() {
        List<String> seqpacket = TckRunner.propertiesFor(new Contracts.Triple(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0))
                .stream().map(m -> m.getAnnotation(Contract.class).id()).toList();
        assertTrue(seqpacket.contains("stream.properties.descriptors-return-after-random-lifecycles"),
                "a reliable-message row checks descriptors too: " + seqpacket);
        assertTrue(seqpacket.contains("message.properties.messages-arrive-whole-and-in-order"), seqpacket.toString());
        assertFalse(seqpacket.contains("stream.properties.payload-arrives-byte-exact-under-random-chunking"),
                "byte-exact chunking is a byte-stream rule: " + seqpacket);
        List<String> stream = TckRunner.propertiesFor(new Contracts.Triple(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0))
                .stream().map(m -> m.getAnnotation(Contract.class).id()).toList();
        assertEquals(List.of("stream.properties.descriptors-return-after-random-lifecycles",
                "stream.properties.payload-arrives-byte-exact-under-random-chunking",
                "stream.properties.scatter-gather-arrives-byte-exact",
                "stream.properties.send-file-arrives-byte-exact"), stream);
    }

    @Test
    void aCaseThatDoesNotApplyIsNotGeneratedAndASkipReasonIsASentenceWithoutTheTriple() {
        Contracts.Triple unixDgram = new Contracts.Triple(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
        List<String> ids = Contracts.casesFor(unixDgram).values().stream().flatMap(List::stream).map(Contracts.Case::id).toList();
        assertFalse(ids.contains("datagram.errors.sendto-port-zero-raises-einval"), "port numbers are not AF_UNIX's: " + ids);
        assertTrue(ids.contains("unix.lifecycle.shutdown-unconnected-succeeds"), "the AF_UNIX sibling runs instead: " + ids);

        TckReport report = TckRunner.run(List.of(new RefusingProvider(SocketType.SOCK_STREAM)));
        TckReport.Row row = report.rows().get(0);
        assertFalse(row.skipped().isEmpty(), "createServer's case skips: Sockets does not open the triple with 'refusing'");
        for (TckReport.Skip skip : row.skipped()) {
            assertFalse(skip.reason().contains(row.label()) || skip.reason().contains("AF_INET SOCK_STREAM"),
                    "the report names the row; the reason of " + skip.id() + " repeats it: " + skip.reason());
            assertTrue(Character.isUpperCase(skip.reason().charAt(0)) && skip.reason().endsWith("."),
                    "the reason of " + skip.id() + " is a sentence: " + skip.reason());
        }
        String text = report.toText();
        long reasons = row.skipped().stream().map(TckReport.Skip::reason).distinct().count();
        assertEquals(reasons, text.lines().filter(l -> l.contains(row.label())).filter(l -> l.startsWith("  ")).count(),
                "the skip list names the row once per reason, on the line of the ids, never in the reason:\n" + text);
    }

    /** Refusing over AF_INET stream and datagram, one triple per semantics, quietly. */
    static class TwoTriples extends RefusingProvider {
        TwoTriples() {
            super(SocketType.SOCK_STREAM, SocketType.SOCK_DGRAM);
        }

        @Override
        public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
            throw SocketError.of(Errno.EPROTONOSUPPORT, "socket(" + family + ", " + type + ")");
        }
    }

    /** As a provider's author subclasses the TCK. */
    static class TwoTriplesTck extends ProviderTck {
        @Override
        protected SocketProvider provider() {
            return new TwoTriples();
        }
    }

    static class TwoTriplesProperties extends ProviderProperties {
        @Override
        protected SocketProvider provider() {
            return new TwoTriples();
        }
    }

    @Test
    void aSurefireRunCountsWhatTheRunnerCounts() {
        TckReport.Counts runner = TckRunner.run(List.of(new TwoTriples())).totals();
        // Surefire's launcher: the filters ServiceLoader finds are on, as LauncherFactory.create() has them
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Logger jqwikLog = Logger.getLogger("net.jqwik");
        Level level = jqwikLog.getLevel();
        PrintStream stdout = System.out;
        jqwikLog.setLevel(Level.WARNING);
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)); // jqwik's banner
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(TwoTriplesTck.class), selectClass(TwoTriplesProperties.class))
                    .configurationParameters(Map.of("jqwik.database", "", "jqwik.reporting.usejunitplatform", "true"))
                    .build(), listener);
        } finally {
            System.setOut(stdout);
            jqwikLog.setLevel(level);
        }
        TestExecutionSummary surefire = listener.getSummary();
        assertEquals(runner.total(), surefire.getTestsFoundCount(), "cases found");
        assertEquals(runner.failed(), surefire.getTestsFailedCount(), "cases failed");
        assertEquals(runner.skipped(), surefire.getTestsAbortedCount() + surefire.getTestsSkippedCount(),
                "cases skipped: a property that applies to no triple is neither run nor counted");
        assertEquals(runner.passed(), surefire.getTestsSucceededCount(), "cases passed");
    }

    @Test
    void aRowThatHangsIsCutShortWithTheStuckStack() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean blockedOnce = new AtomicBoolean();
        SocketProvider hanging = new RefusingProvider(SocketType.SOCK_STREAM) {
            @Override
            public String name() {
                return "hanging";
            }

            @Override
            public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
                if (blockedOnce.compareAndSet(false, true)) {
                    try {
                        never.await(60, TimeUnit.SECONDS); // until the runner interrupts it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                throw SocketError.of(Errno.EINTR, "socket");
            }
        };
        long t0 = System.nanoTime();
        TckReport report = TckRunner.run(List.of(hanging), Duration.ofSeconds(1), row -> { });
        long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(took < 20, "the runner went on after the limit; took " + took + " s");
        TckReport.Failure cut = report.failures().stream().filter(f -> f.exception().type().endsWith("RowCutShort")).findFirst()
                .orElseThrow(() -> new AssertionError("no RowCutShort failure in " + report.failures()));
        assertTrue(cut.exception().frames().stream().anyMatch(f -> f.contains("open")), "the stuck stack: " + cut.exception().frames());
        assertFalse(report.passed());
    }

    @Test
    void theJsonReportIsWellFormedAndSaysWhatTheReportSays() {
        TckReport report = TckRunner.run(List.of(new RefusingProvider(SocketType.SOCK_STREAM, SocketType.SOCK_DGRAM)));
        Object parsed = new Json(report.toJson()).parse();
        assertTrue(parsed instanceof Map, "an object");
        Map<?, ?> root = (Map<?, ?>) parsed;
        assertEquals(TckReport.SCHEMA, root.get("schema"));
        assertEquals(false, root.get("passed"));
        assertEquals(report.groups(), root.get("groups"));
        Map<?, ?> totals = (Map<?, ?>) root.get("totals");
        assertEquals((long) report.totals().failed(), totals.get("failed"));
        List<?> rows = (List<?>) root.get("rows");
        assertEquals(2, rows.size());
        Map<?, ?> first = (Map<?, ?>) rows.get(0);
        assertEquals("refusing", first.get("provider"));
        assertEquals("AF_INET", first.get("family"));
        assertEquals("SOCK_STREAM", first.get("type"));
        List<?> failures = (List<?>) first.get("failures");
        assertEquals(report.rows().get(0).failures().size(), failures.size());
        Map<?, ?> failure = (Map<?, ?>) failures.get(0);
        for (String key : List.of("group", "id", "statement", "exception", "details")) {
            assertTrue(failure.containsKey(key), key + " in " + failure.keySet());
        }
        Map<?, ?> problem = (Map<?, ?>) failure.get("exception");
        for (String key : List.of("type", "message", "frames", "cause")) {
            assertTrue(problem.containsKey(key), key + " in " + problem.keySet());
        }
    }

    @Test
    void theTextMatrixHasARowPerTripleAndTheFailures() {
        TckReport report = TckRunner.run(List.of(new RefusingProvider(SocketType.SOCK_STREAM)));
        String text = report.toText();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("refusing") && l.contains("AF_INET") && l.endsWith("FAIL")), text);
        TckReport.Failure f = report.failures().get(0);
        assertTrue(text.contains(f.id()) && text.contains(f.statement()), "failure listed with id and statement");
    }

    /** A strict JSON reader (RFC 8259), enough to check the report's form: objects, arrays, strings, integers, literals. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            space();
            if (i != s.length()) {
                throw new AssertionError("trailing text at " + i);
            }
            return v;
        }

        private Object value() {
            space();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                i++;
                space();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    if (m.put(k, value()) != null) {
                        throw new AssertionError("duplicate key " + k);
                    }
                    space();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect('}');
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                space();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    space();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            for (String lit : List.of("true", "false", "null")) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            int start = i;
            if (s.charAt(i) == '-') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new AssertionError("unexpected '" + c + "' at " + i);
            }
            return Long.parseLong(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw new AssertionError("raw control character in a string at " + (i - 1));
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case '"', '\\', '/' -> b.append(e);
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> throw new AssertionError("bad escape \\" + e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new AssertionError("expected '" + c + "' at " + i + ", found '" + s.charAt(i) + "'");
            }
            i++;
        }

        private void space() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }
    }
}
