package io.jsock.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jsock tck} and {@code jsock providers} with providers from {@code --jar}. */
class TckCommandTest {
    @TempDir
    Path dir;

    @Test
    void aProviderFromAJarPassingTheTckExits0AndIsInTheMatrixAndTheReport() throws Exception {
        Path jar = FakeProviders.jar(dir, "wrapped.jar", FakeProviders.Wrapped.class);
        Path report = dir.resolve("report.json");
        ArgumentsTest.Outcome o = ArgumentsTest.run("tck", "--jar", jar.toString(), "--provider", "wrapped-inet", "--report", report.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("wrapped-inet\\s+AF_INET\\s+SOCK_STREAM\\s.*PASS")), o.out());
        assertFalse(o.out().contains("Failures:"), o.out());
        assertTrue(o.err().startsWith("tck: wrapped-inet AF_INET SOCK_STREAM"), "a progress line per row on stderr: " + o.err());
        String json = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"schema\": \"jsock-tck-report/1\""), json);
        assertTrue(json.contains("\"provider\": \"wrapped-inet\""), json);
        assertTrue(json.contains("\"passed\": true"), json);
        validates(report);
    }

    /** Checks a report against the JSON Schema in tck/README.md with CPython's jsonschema, where installed. */
    private static void validates(Path report) throws Exception {
        Path readme = Path.of("..", "tck", "README.md");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(readme), "tck/README.md is not beside this module");
        Python.assumeInstalled();
        String script = String.join("\n",
                "import json, re",
                "try:",
                "    import jsonschema",
                "except ImportError:",
                "    print('no-jsonschema'); sys.exit(0)",
                "schema = json.loads(re.search(r'```json\\n(.*?)```', open(sys.argv[1]).read(), re.S).group(1))",
                "jsonschema.Draft202012Validator.check_schema(schema)",
                "jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))",
                "print('valid')");
        String out = Python.run(script, readme.toString(), report.toString()).strip();
        org.junit.jupiter.api.Assumptions.assumeFalse(out.equals("no-jsonschema"), "python3 has no jsonschema module");
        assertEquals("valid", out);
    }

    @Test
    void theRawProviderHasARowPerRawTriple() throws Exception {
        Path report = dir.resolve("raw.json");
        ArgumentsTest.Outcome o = ArgumentsTest.run("tck", "--provider", "raw", "--report", report.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        for (String row : List.of("raw\\s+AF_INET\\s+SOCK_RAW/1\\s.*PASS", "raw\\s+AF_INET6\\s+SOCK_RAW/58\\s.*PASS",
                "raw\\s+AF_PACKET\\s+SOCK_DGRAM/768\\s.*PASS", "raw\\s+AF_PACKET\\s+SOCK_RAW/768\\s.*PASS")) {
            assertTrue(o.out().lines().anyMatch(l -> l.matches(row)), row + " in:\n" + o.out());
        }
        assertTrue(o.out().contains("\n4 rows: "), o.out());
        validates(report);
    }

    @Test
    void withoutCapNetRawTheRawCasesAreSkippedWithTheReason() throws Exception {
        Process probe = new ProcessBuilder("setpriv", "--version").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && probe.exitValue() == 0,
                "setpriv(1) is not installed.");
        List<String> command = new java.util.ArrayList<>(List.of("setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw"));
        command.addAll(Child.command(List.of(), "tck", "--provider", "raw"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the child ends");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("\n4 rows: 0 passed, 0 failed, 5 skipped in "), out);
            assertEquals(4, out.lines().filter(l -> l.equals("      This process has no CAP_NET_RAW, which raw and packet sockets need.")).count(), out);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aFailingProviderExits1AndEachFailureIsListedWithItsStatement() throws Exception {
        Path jar = FakeProviders.jar(dir, "refusing.jar", FakeProviders.Refusing.class);
        Path report = dir.resolve("failing.json");
        ArgumentsTest.Outcome o = ArgumentsTest.run("tck", "--jar", jar.toString(), "--provider", "refusing", "--report", report.toString());
        assertEquals(1, o.status(), o.err());
        validates(report);
        assertTrue(o.out().lines().anyMatch(l -> l.matches("refusing\\s+AF_INET\\s+SOCK_STREAM\\s.*FAIL")), o.out());
        assertTrue(o.out().contains("Failures:"), o.out());
        assertTrue(o.out().contains("stream.lifecycle.connect-accept-exchange-close"), "a failing case by id");
        assertTrue(o.out().contains("io.jsock.SocketError: socket(AF_INET, SOCK_STREAM) by refusing: Protocol not supported"), o.out());
    }

    @Test
    void providersListsJarProvidersAndWhoWinsEachTriple() throws Exception {
        Path jar = FakeProviders.jar(dir, "both.jar", FakeProviders.Wrapped.class, FakeProviders.Refusing.class);
        ArgumentsTest.Outcome o = ArgumentsTest.run("providers", "--jar", jar.toString());
        assertEquals(0, o.status(), o.err());
        String out = o.out();
        assertTrue(out.contains("refusing  priority 5  " + FakeProviders.Refusing.class.getName()), out);
        assertTrue(out.contains("wrapped-inet  priority -1"), out);
        assertTrue(out.matches("(?s).*refusing  priority 5.*\\n    AF_INET   SOCK_STREAM     used\\n.*"), out);
        assertTrue(out.matches("(?s).*inet  priority 0.*\\n    AF_INET   SOCK_STREAM     not used: refusing wins \\(priority 5 > 0\\)\\n.*"), out);
        assertTrue(out.matches("(?s).*wrapped-inet  priority -1.*\\n    AF_INET   SOCK_STREAM     not used: refusing wins \\(priority 5 > -1\\)\\n.*"), out);
        ArgumentsTest.Outcome plain = ArgumentsTest.run("providers");
        assertFalse(plain.out().contains("refusing"), "without --jar the jar's providers are not there: " + plain.out());
    }
}
