package io.jsock.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jsock ping}: ICMP echo over SOCK_RAW to 127.0.0.1 and ::1, lines and statistics like ping(8), its exit statuses. */
class PingCommandTest {
    private static final String REPLY_V4 = "64 bytes from 127\\.0\\.0\\.1: icmp_seq=%d ttl=64 time=\\d+(\\.\\d+)? ms";
    private static final String REPLY_V6 = "64 bytes from ::1: icmp_seq=%d time=\\d+(\\.\\d+)? ms";

    private static void needsCapNetRaw() throws IOException {
        boolean has = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                has = (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 13)) != 0;
            }
        }
        Assumptions.assumeTrue(has, "This process has no CAP_NET_RAW, which ping's raw socket needs.");
    }

    @Test
    void threeRepliesFrom127001AndTheStatistics() throws Exception {
        needsCapNetRaw();
        ArgumentsTest.Outcome o = ArgumentsTest.run("ping", "-c", "3", "-i", "0.05", "127.0.0.1");
        assertEquals(0, o.status(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.", lines.get(0));
        for (int seq = 1; seq <= 3; seq++) {
            assertTrue(lines.get(seq).matches(String.format(REPLY_V4, seq)), "reply line " + seq + ": " + lines.get(seq));
        }
        assertEquals("", lines.get(4));
        assertEquals("--- 127.0.0.1 ping statistics ---", lines.get(5));
        assertTrue(lines.get(6).matches("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms"), lines.get(6));
        assertTrue(lines.get(7).matches("rtt min/avg/max/mdev = \\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3} ms"), lines.get(7));
        assertEquals(8, lines.size(), o.out());
    }

    @Test
    void repliesFromIpv6Loopback() throws Exception {
        needsCapNetRaw();
        ArgumentsTest.Outcome o = ArgumentsTest.run("ping", "-c", "2", "-i", "0.05", "::1");
        assertEquals(0, o.status(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("PING ::1 (::1) 56 data bytes", lines.get(0));
        assertTrue(lines.get(1).matches(String.format(REPLY_V6, 1)), lines.get(1));
        assertTrue(lines.get(2).matches(String.format(REPLY_V6, 2)), lines.get(2));
        assertTrue(o.out().contains("\n2 packets transmitted, 2 received, 0% packet loss, time "), o.out());
    }

    @Test
    void noReplyInTimeExitsOne() throws Exception {
        needsCapNetRaw();
        // a reply on loopback takes microseconds; a wait of one nanosecond after the send is over before it comes
        ArgumentsTest.Outcome o = ArgumentsTest.run("ping", "-c", "2", "-i", "0.01", "-W", "0.000000001", "127.0.0.1");
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("\n2 packets transmitted, 0 received, 100% packet loss, time "), o.out());
        assertTrue(!o.out().contains("rtt "), "no round trips without a reply: " + o.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ping                     | jsock: missing HOST: ping takes [-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST",
            "ping -c 0 127.0.0.1      | jsock: bad -c '0': expected a count of at least 1",
            "ping -c x 127.0.0.1      | jsock: bad -c 'x': expected a count of at least 1",
            "ping -i 0 127.0.0.1      | jsock: bad -i '0': expected seconds above 0, at most 86400",
            "ping -W soon 127.0.0.1   | jsock: bad -W 'soon': expected a number of seconds, as 1 or 0.5",
            "ping 127.0.0.1 ::1       | jsock: bad argument '::1': ping takes one HOST",
            "ping -x 127.0.0.1        | jsock: bad option '-x': expected one of -c/--count COUNT, -i/--interval INTERVAL, -W/--timeout TIMEOUT",
    })
    void badArgumentsExitTwoWithOneLine(String command, String expected) {
        ArgumentsTest.Outcome o = ArgumentsTest.run(command.split(" "));
        assertEquals(2, o.status(), o.err());
        assertEquals(expected, o.firstErrLine());
        assertEquals(Main.SEE_HELP + "\n", o.err().substring(o.err().indexOf('\n') + 1));
    }

    @Test
    void withoutCapNetRawItSaysSoAndExitsOne() throws Exception {
        Process probe = new ProcessBuilder("setpriv", "--version").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0, "setpriv(1) is not installed.");
        List<String> command = new ArrayList<>(List.of("setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw"));
        command.addAll(Child.command(List.of(), "ping", "-c", "1", "127.0.0.1"));
        Process p = new ProcessBuilder(command).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue(), out + err);
            assertTrue(err.startsWith("jsock: socket(AF_INET, SOCK_RAW, 1): Operation not permitted (raw and packet sockets need CAP_NET_RAW"), err);
            assertEquals(1, err.lines().count(), err);
        } finally {
            p.destroyForcibly();
        }
    }
}
