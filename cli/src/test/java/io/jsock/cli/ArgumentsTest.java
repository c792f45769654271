package io.jsock.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad command line: one line naming the argument, then see 'jsock --help', on stderr; exit status 2. */
class ArgumentsTest {

    record Outcome(int status, String out, String err) {
        String firstErrLine() {
            int nl = err.indexOf('\n');
            return nl < 0 ? err : err.substring(0, nl);
        }
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "frobnicate                                   | jsock: bad COMMAND 'frobnicate': expected providers, tck, echo, cat or ping",
            "echo                                         | jsock: missing FAMILY: echo takes FAMILY TYPE ADDRESS",
            "echo AF_INET                                 | jsock: missing TYPE: echo takes FAMILY TYPE ADDRESS",
            "cat inet stream                              | jsock: missing ADDRESS: cat takes FAMILY TYPE ADDRESS",
            "echo AF_IPX SOCK_STREAM 127.0.0.1:0          | jsock: bad FAMILY 'AF_IPX': expected AF_INET, AF_INET6 or AF_UNIX",
            "echo AF_INET SOCK_PACKET 127.0.0.1:0         | jsock: bad TYPE 'SOCK_PACKET': expected SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW or SOCK_RDM",
            "echo AF_INET SOCK_STREAM 127.0.0.1           | jsock: bad ADDRESS '127.0.0.1': expected host:port",
            "echo AF_INET SOCK_STREAM 127.0.0.1:65536     | jsock: bad ADDRESS '127.0.0.1:65536': the port must be a number 0..65535",
            "echo AF_INET SOCK_STREAM 127.0.0.1:http      | jsock: bad ADDRESS '127.0.0.1:http': the port must be a number 0..65535",
            "echo AF_INET SOCK_STREAM 127.0.0.1:-1        | jsock: bad ADDRESS '127.0.0.1:-1': the port must be a number 0..65535",
            "echo AF_INET SOCK_STREAM 256.0.0.1:80        | jsock: bad ADDRESS '256.0.0.1:80': not an IPv4 address: 256 is more than 255",
            "echo AF_INET SOCK_STREAM [::1]:80            | jsock: bad ADDRESS '[::1]:80': an IPv6 address, but FAMILY is AF_INET",
            "echo AF_INET6 SOCK_STREAM 127.0.0.1:80       | jsock: bad ADDRESS '127.0.0.1:80': an IPv4 address, but FAMILY is AF_INET6 (use [::ffff:127.0.0.1] for a v4-mapped one)",
            "echo AF_INET6 SOCK_STREAM ::1:80             | jsock: bad ADDRESS '::1:80': an IPv6 address needs brackets, as in [::1]:80",
            "echo AF_INET6 SOCK_STREAM [::1]80            | jsock: bad ADDRESS '[::1]80': expected [v6address]:port",
            "echo AF_INET6 SOCK_STREAM [::1              | jsock: bad ADDRESS '[::1': expected [v6address]:port",
            "echo AF_INET6 SOCK_STREAM [fe80::1%nosuchif]:0 | jsock: bad ADDRESS '[fe80::1%nosuchif]:0': no network interface 'nosuchif' for the scope",
            "echo AF_UNIX SOCK_STREAM @                   | jsock: bad ADDRESS '@': an abstract name needs a name after the @",
            "echo AF_INET SOCK_STREAM 127.0.0.1:0 extra   | jsock: bad argument 'extra': echo takes FAMILY TYPE ADDRESS and nothing more",
            "echo --frobnicate AF_INET SOCK_STREAM 1.2.3.4:0 | jsock: bad option '--frobnicate': expected one of -v/--verbose",
            "echo -x AF_INET SOCK_STREAM 1.2.3.4:0        | jsock: bad option '-x': expected one of -v/--verbose",
            "cat inet stream 127.0.0.1 6254               | jsock: bad ADDRESS '127.0.0.1': expected host:port; did you mean 127.0.0.1:6254?",
            "cat inet6 stream ::1 6254                    | jsock: bad ADDRESS '::1': expected host:port; did you mean [::1]:6254?",
            "cat 127.0.0.1 6254                           | jsock: bad FAMILY '127.0.0.1': cat takes FAMILY TYPE ADDRESS; did you mean jsock cat inet stream 127.0.0.1:6254?",
            "cat -x inet stream 1.2.3.4:9                 | jsock: bad option '-x': expected one of -l/--listen, -v/--verbose, -w/--timeout SECONDS, -s/--source ADDRESS, --no-shutdown, --wait SECONDS",
            "cat -lz inet stream 1.2.3.4:9                | jsock: bad option '-z': expected one of -l/--listen, -v/--verbose, -w/--timeout SECONDS, -s/--source ADDRESS, --no-shutdown, --wait SECONDS",
            "cat --no-shutdown=yes inet stream 1.2.3.4:9  | jsock: bad option '--no-shutdown': takes no value",
            "cat --wait soon AF_INET SOCK_DGRAM 1.2.3.4:9 | jsock: bad --wait 'soon': expected a number of seconds, as 1 or 0.5",
            "cat --wait -1 AF_INET SOCK_DGRAM 1.2.3.4:9   | jsock: bad --wait '-1': expected seconds from 0 to 86400",
            "cat AF_INET SOCK_DGRAM 1.2.3.4:9 --wait      | jsock: bad option '--wait': needs a value",
            "cat --wait 1 AF_INET SOCK_STREAM 1.2.3.4:9   | jsock: bad option '--wait': only a datagram type waits for late replies; SOCK_STREAM ends at the peer's end of stream (-w SECONDS sets an idle timeout)",
            "cat -w 0 AF_INET SOCK_STREAM 1.2.3.4:9       | jsock: bad -w '0': expected seconds above 0, at most 86400",
            "cat -w AF_INET SOCK_STREAM 1.2.3.4:9         | jsock: bad -w 'AF_INET': expected a number of seconds, as 1 or 0.5",
            "cat -l -s 127.0.0.1:0 inet stream 127.0.0.1:0 | jsock: bad option '-s': cannot be used with -l: the ADDRESS is what -l binds",
            "providers extra                              | jsock: bad argument 'extra': providers takes only --jar FILE.jar",
            "providers --jar /nonexistent/x.jar           | jsock: bad --jar '/nonexistent/x.jar': no such file",
            "tck --jar /nonexistent/x.jar                 | jsock: bad --jar '/nonexistent/x.jar': no such file",
            "tck --report a.json --report b.json          | jsock: bad option '--report': given more than once",
            "tck inet                                     | jsock: bad argument 'inet': tck takes only --provider, --jar and --report",
    })
    void badArgumentPrintsOneLineAndSeeHelpAndExits2(String commandLine, String expectedLine) {
        Outcome o = run(commandLine.trim().split("\\s+"));
        assertEquals(2, o.status(), "exit status of: " + commandLine + "\n" + o.err());
        assertEquals(expectedLine, o.firstErrLine(), "first stderr line of: " + commandLine);
        assertEquals("see 'jsock --help'\n", o.err().substring(o.firstErrLine().length() + 1), "stderr after the line");
        assertEquals("", o.out(), "nothing on stdout");
    }

    @Test
    void anArgumentWithANewlineOrANulIsQuotedOnOneLine(@TempDir Path dir) throws Exception {
        Outcome command = run("frob\nnicate");
        assertEquals("jsock: bad COMMAND 'frob\\nnicate': expected providers, tck, echo, cat or ping\nsee 'jsock --help'\n", command.err());
        assertEquals(2, command.status());

        Path cwdFile = Path.of("a");
        assertFalse(Files.exists(cwdFile), "the test's working directory holds no 'a' beforehand");
        Outcome nul = run("echo", "unix", "stream", "a\0b");
        assertEquals(2, nul.status(), nul.err());
        assertEquals("jsock: bad argument 'a\\0b': no argument can hold a NUL character (a path would stop at it)\nsee 'jsock --help'\n", nul.err());
        assertFalse(Files.exists(cwdFile), "no socket file 'a' left in the working directory");
        assertEquals(2, run("cat", "unix", "dgram", dir + "/x\0y").status(), "a NUL is refused in cat's ADDRESS too");
        assertFalse(Files.exists(dir.resolve("x")), "no socket file cut at the NUL in " + dir);

        String newline = dir.resolve("no such\nfolder").resolve("s.sock").toString();
        Outcome os = run("echo", "unix", "stream", newline);
        assertEquals(1, os.status(), os.err());
        assertEquals(1, os.err().lines().count(), "one message, one line: " + os.err());
        assertTrue(os.err().startsWith("jsock: bind " + dir + "/no such\\nfolder/s.sock: No such file or directory"), os.err());
    }

    @Test
    void aScopeIdGetsAsFarAsBind() {
        EndToEndTest.assumeIpv6Loopback();
        Outcome o = run("echo", "inet6", "stream", "[fe80::1%lo]:0");
        assertEquals(1, o.status(), o.err());
        // lo has no fe80::1: the kernel says so, as it does to Python's bind(('fe80::1%lo', 0, 0, 1))
        assertTrue(o.err().matches("jsock: bind \\[fe80::1%lo\\]:0: (Cannot assign requested address|Invalid argument)\n"), o.err());
    }

    @Test
    void aTypeNoProviderOffersIsAnOsErrorNamingTheInstalledOnes() {
        Outcome o = run("echo", "inet", "seqpacket", "127.0.0.1:0");
        assertEquals(1, o.status(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("jsock: socket(AF_INET, SOCK_SEQPACKET, 0): Socket type not supported; no installed provider supports it."),
                o.err());
    }

    @Test
    void unknownProviderIsABadArgumentListingTheInstalledOnes() {
        Outcome o = run("tck", "--provider", "no-such-provider");
        assertEquals(2, o.status(), o.err());
        assertTrue(o.firstErrLine().startsWith("jsock: bad --provider 'no-such-provider': no such provider; installed: "), o.firstErrLine());
        assertTrue(o.firstErrLine().contains("inet"), "the installed list names inet: " + o.firstErrLine());
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndExits0() {
        for (String[] args : new String[][] {{"--help"}, {}, {"echo", "--help"}, {"-h"}}) {
            Outcome o = run(args);
            assertEquals(0, o.status(), String.join(" ", args));
            assertEquals(Main.USAGE, o.out(), String.join(" ", args));
            assertEquals("", o.err(), String.join(" ", args));
        }
    }

    @Test
    void versionPrintsJsockAndTheBuildsVersionAndExits0() {
        Outcome o = run("--version");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().matches("jsock [0-9]+\\.[0-9]+\\.[0-9]+(-[A-Za-z0-9.]+)?\n"), "stdout: " + o.out());
        assertEquals("", o.err());
    }

    @Test
    void usageDocumentsTheDatagramWaitAndEveryOption() {
        assertTrue(Main.USAGE.contains("--wait SECONDS"), Main.USAGE);
        assertTrue(Main.USAGE.contains("default 1"), Main.USAGE);
        for (String option : new String[] {"-l, --listen ", "-v, --verbose ", "-w, --timeout SECONDS ", "-s, --source ADDRESS ", "--no-shutdown "}) {
            assertTrue(Main.USAGE.contains("\n    " + option), "the usage explains " + option + ":\n" + Main.USAGE);
        }
    }

    @Test
    void anOsErrorIsOneLineAndExit1() throws Exception {
        try (io.jsock.Socket taken = io.jsock.Sockets.socket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            taken.listen(1);
            String address = Endpoints.format(taken.getSockName());
            Outcome o = run("echo", "AF_INET", "SOCK_STREAM", address);
            assertEquals(1, o.status(), o.err());
            assertEquals("jsock: bind " + address + ": Address already in use\n", o.err());
            assertFalse(o.err().contains("\tat "), "no stack trace");
        }
    }

    @Test
    void connectRefusedIsOneLineAndExit1() throws Exception {
        int port;
        try (io.jsock.Socket probe = io.jsock.Sockets.socket()) {
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            port = ((java.net.InetSocketAddress) probe.getSockName()).getPort();
        }
        Outcome o = run("cat", "inet", "stream", "127.0.0.1:" + port);
        assertEquals(1, o.status(), o.err());
        assertEquals("jsock: connect 127.0.0.1:" + port + ": Connection refused\n", o.err());
    }

    @Test
    void anIpv6AddressInAnErrorIsWrittenAsRfc5952Says() throws Exception {
        EndToEndTest.assumeIpv6Loopback();
        int port;
        try (io.jsock.Socket probe = io.jsock.Sockets.socket(io.jsock.AddressFamily.AF_INET6, io.jsock.SocketType.SOCK_STREAM)) {
            probe.bind(new java.net.InetSocketAddress("::1", 0));
            port = ((java.net.InetSocketAddress) probe.getSockName()).getPort();
            assertTrue(probe.toString().contains("laddr=[::1]:" + port), "repr: " + probe);
        }
        Outcome o = run("cat", "inet6", "stream", "[::1]:" + port);
        assertEquals(1, o.status(), o.err());
        assertEquals("jsock: connect [::1]:" + port + ": Connection refused\n", o.err());
    }

    @Test
    void unknownHostIsOneLineAndExit1() {
        Outcome o = run("cat", "inet", "stream", "no-such-host.invalid:80");
        assertEquals(1, o.status(), o.err());
        assertTrue(o.err().startsWith("jsock: getaddrinfo no-such-host.invalid"), o.err());
        assertEquals(1, o.err().lines().count(), "one line: " + o.err());
    }
}
