package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.InterfaceName;
import io.jsock.NameInfo;
import io.jsock.SocketError;
import io.jsock.Sockets;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python's {@code socket} module functions on this machine as the oracle of jsock's: a table of
 * inputs (fixed edge cases, seeded random addresses and mutations of them) runs through CPython and
 * through {@link Sockets}, and every answer must agree. Answers are tokens: the value, or
 * {@code error} (with the errno where CPython has one: gaierror codes, if_indextoname's ENXIO).
 * CPython's OSError and ValueError for a caller's mistake are jsock's IllegalArgumentException.
 */
class ModuleFunctionsParityTest {
    private static final long SEED = 5952;
    private static final HexFormat HEX = HexFormat.of();

    private static final String SCRIPT = String.join("\n",
            "import socket, sys",
            "def run(kind, a):",
            "    if kind == 'pton4': return socket.inet_pton(socket.AF_INET, a).hex()",
            "    if kind == 'pton6': return socket.inet_pton(socket.AF_INET6, a).hex()",
            "    if kind == 'ntop4': return socket.inet_ntop(socket.AF_INET, bytes.fromhex(a))",
            "    if kind == 'ntop6': return socket.inet_ntop(socket.AF_INET6, bytes.fromhex(a))",
            "    if kind == 'nameindex': return ','.join('%d %s' % p for p in socket.if_nameindex())",
            "    if kind == 'nametoindex': return str(socket.if_nametoindex(a))",
            "    if kind == 'indextoname': return socket.if_indextoname(int(a))",
            "    if kind == 'servbyname':",
            "        s, p = a.split(' ')",
            "        return str(socket.getservbyname(s) if p == '-' else socket.getservbyname(s, p))",
            "    if kind == 'servbyport':",
            "        s, p = a.split(' ')",
            "        return socket.getservbyport(int(s)) if p == '-' else socket.getservbyport(int(s), p)",
            "    if kind == 'nameinfo':",
            "        h, p, f = a.split(' ')",
            "        return ' '.join(socket.getnameinfo((h, int(p)), int(f)))",
            "    if kind == 'fqdn': return socket.getfqdn(a)",
            "    raise AssertionError(kind)",
            "for arg in sys.argv[1:]:",
            "    kind, _, rest = arg.partition(':')",
            "    try:",
            "        out = run(kind, bytes.fromhex(rest).decode('utf-8'))",
            "    except (OSError, ValueError, OverflowError) as e:",
            "        out = 'error' if getattr(e, 'errno', None) is None else 'error %d' % e.errno",
            "    print(out)");

    /** One row: a function and its argument as text. */
    private record Case(String kind, String argument) {
        String encoded() {
            return kind + ":" + HEX.formatHex(argument.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void moduleFunctionsAnswerAsCpythonDoes() throws Exception {
        Python.assumePresent();
        List<Case> cases = table();
        List<String> expected;
        try (Python python = Python.start(SCRIPT, cases.stream().map(Case::encoded).toArray(String[]::new))) {
            expected = List.of(python.finish(Duration.ofSeconds(60)).split("\n", -1));
        }
        assertEquals(cases.size() + 1, expected.size(), "one line per case from python");
        List<String> mismatches = new ArrayList<>();
        int errors = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String mine = jsock(c);
            errors += mine.startsWith("error") ? 1 : 0;
            if (!mine.equals(expected.get(i))) {
                mismatches.add(c.kind + "(\"" + c.argument + "\"): jsock " + mine + ", CPython " + expected.get(i));
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + cases.size() + " cases differ from CPython:\n"
                + String.join("\n", mismatches));
        assertTrue(errors > 100 && errors < cases.size() - 100, "the table has both good and bad inputs: " + errors);
    }

    private static String jsock(Case c) {
        String a = c.argument;
        try {
            switch (c.kind) {
                case "pton4": return HEX.formatHex(Sockets.inetPton(AddressFamily.AF_INET, a));
                case "pton6": return HEX.formatHex(Sockets.inetPton(AddressFamily.AF_INET6, a));
                case "ntop4": return Sockets.inetNtop(AddressFamily.AF_INET, HEX.parseHex(a));
                case "ntop6": return Sockets.inetNtop(AddressFamily.AF_INET6, HEX.parseHex(a));
                case "nameindex":
                    return Sockets.ifNameIndex().stream().map(n -> n.index() + " " + n.name()).collect(Collectors.joining(","));
                case "nametoindex": return Integer.toString(Sockets.ifNameToIndex(a));
                case "indextoname": return Sockets.ifIndexToName(Integer.parseInt(a));
                case "servbyname": {
                    String[] f = a.split(" ");
                    return Integer.toString(Sockets.getServByName(f[0], f[1].equals("-") ? null : f[1]));
                }
                case "servbyport": {
                    String[] f = a.split(" ");
                    return Sockets.getServByPort(Integer.parseInt(f[0]), f[1].equals("-") ? null : f[1]);
                }
                case "nameinfo": {
                    String[] f = a.split(" ");
                    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1]));
                    NameInfo n = Sockets.getNameInfo(address, Integer.parseInt(f[2]));
                    return n.host() + " " + n.service();
                }
                case "fqdn": return Sockets.getFqdn(a);
                default: throw new AssertionError(c.kind);
            }
        } catch (IllegalArgumentException e) {
            return "error";
        } catch (SocketError e) {
            // CPython's if_nametoindex, getservbyname and getservbyport raise OSError without an errno
            boolean numbered = c.kind.equals("indextoname") || c.kind.equals("nameinfo");
            return numbered ? "error " + e.errno().code() : "error";
        } catch (Exception e) {
            throw new AssertionError(c + ": " + e, e);
        }
    }

    private static List<Case> table() throws SocketError {
        Random random = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        List<String> v4 = new ArrayList<>(List.of("0.0.0.0", "127.0.0.1", "255.255.255.255", "1.2.3.4", "10.0.0.255",
                "", "1", "1.2", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "01.2.3.4", "1.02.3.4", "1.2.3.00", "256.1.1.1",
                "1.2.3.999", "0x7f.0.0.1", "127.1", "2130706433", " 1.2.3.4", "1.2.3.4 ", "1..2.3", ".1.2.3.4",
                "localhost", "1.2.3.4\0", "1.2.3.-4", "+1.2.3.4", "1.2.3.4/8", "١.2.3.4", "0.0.0.0000"));
        List<String> v6 = new ArrayList<>(List.of("::", "::1", "1::", "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "::1.2.3.4",
                "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5::1.2.3.4", "2001:db8::1", "2001:DB8:0:0:1:0:0:1",
                "fe80::1", "ff02::1", "0:0:0:0:0:0:0:0", "0000:0000::", "00000::", "12345::", ":", ":::", "1:::2",
                "1::2::3", ":1::", "1:", "::1:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "::1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7", "::ffff:01.2.3.4", "::1.2.3", "1.2.3.4::", "::1.2.3.4:1",
                "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:256.1.1.1", "fe80::1%eth0", "fe80::1%1", "[::1]",
                "g::", "::g", " ::1", "::1 ", "", "1.2.3.4", "::0:0", "0::0", "a:b:c:d:e:f:a:b", "ABCD:EF01:2345:6789:abcd:ef01:2345:6789",
                "::ffff:0:0", "::ffff:1:2", "1:0:0:0:0:0:0:0", "1:0:0:1:0:0:0:1", "::0.0.0.1", "::0.0.1.0"));
        for (int i = 0; i < 60; i++) {
            v4.add(random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
        }
        List<byte[]> packed6 = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            byte[] b = new byte[16];
            for (int g = 0; g < 8; g++) {
                if (random.nextInt(3) > 0) { // zero groups often, so that runs of every length occur
                    continue;
                }
                int w = random.nextInt(4) == 0 ? random.nextInt(16) : random.nextInt(0x10000);
                b[2 * g] = (byte) (w >> 8);
                b[2 * g + 1] = (byte) w;
            }
            if (i % 10 == 0) { // IPv4-mapped and IPv4-compatible
                Arrays.fill(b, 0, 10, (byte) 0);
                b[10] = b[11] = (byte) (i % 20 == 0 ? 0xff : 0);
            }
            packed6.add(b);
            String text = Sockets.inetNtop(AddressFamily.AF_INET6, b);
            v6.add(text);
            v6.add(text.toUpperCase());
        }
        String alphabet = "0123456789abcdefABCDEF::..x% ";
        for (int i = 0; i < 80; i++) {
            v4.add(mutate(v4.get(random.nextInt(60)), alphabet, random));
            v6.add(mutate(v6.get(random.nextInt(v6.size())), alphabet, random));
        }
        v4.forEach(t -> cases.add(new Case("pton4", t)));
        v6.forEach(t -> cases.add(new Case("pton6", t)));
        for (String t : v4) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            cases.add(new Case("ntop4", HEX.formatHex(b.length > 4 && random.nextBoolean() ? Arrays.copyOf(b, 4) : b)));
        }
        packed6.forEach(b -> cases.add(new Case("ntop6", HEX.formatHex(b))));
        cases.add(new Case("ntop6", HEX.formatHex(new byte[15])));
        cases.add(new Case("ntop6", HEX.formatHex(new byte[17])));
        cases.add(new Case("ntop6", HEX.formatHex(new byte[4])));
        cases.add(new Case("ntop4", ""));

        cases.add(new Case("nameindex", ""));
        for (InterfaceName n : Sockets.ifNameIndex()) {
            cases.add(new Case("nametoindex", n.name()));
            cases.add(new Case("indextoname", Integer.toString(n.index())));
        }
        for (String name : List.of("nope", "", "lo0", "LO", "a-very-long-interface-name-indeed")) {
            cases.add(new Case("nametoindex", name));
        }
        for (String index : List.of("0", "999", "65536")) {
            cases.add(new Case("indextoname", index));
        }

        List<String> protos = List.of("tcp", "udp", "-", "sctp", "ddp");
        for (String service : List.of("http", "https", "www", "ssh", "domain", "ftp", "ftp-data", "smtp", "telnet",
                "ntp", "snmp", "imap", "imap2", "pop3", "bootps", "syslog", "kerberos", "ldap", "isakmp", "mysql",
                "postgresql", "x11", "echo", "discard", "rje", "HTTP", "nope", "80", "domain-s", "sunrpc", "portmapper")) {
            for (String proto : protos) {
                cases.add(new Case("servbyname", service + " " + proto));
            }
        }
        for (int port : new int[] {0, 1, 7, 9, 21, 22, 23, 25, 53, 80, 110, 111, 123, 143, 161, 443, 514, 853, 993,
                3306, 5432, 6000, 65000, 65535}) {
            for (String proto : protos) {
                cases.add(new Case("servbyport", port + " " + proto));
            }
        }

        for (String host : List.of("127.0.0.1", "::1")) {
            for (int port : new int[] {22, 53, 80, 65000}) {
                for (int flags = 0; flags < 32; flags++) {
                    cases.add(new Case("nameinfo", host + " " + port + " " + flags));
                }
            }
        }
        for (String name : List.of("", "localhost", "127.0.0.1", "0.0.0.0", "::", Sockets.getHostName())) {
            cases.add(new Case("fqdn", name));
        }
        return cases;
    }

    /** One edit of {@code text}: a character inserted, deleted or replaced. */
    private static String mutate(String text, String alphabet, Random random) {
        StringBuilder b = new StringBuilder(text);
        int at = b.length() == 0 ? 0 : random.nextInt(b.length());
        char ch = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (b.length() == 0 ? 0 : random.nextInt(3)) {
            case 0 -> b.insert(at, ch);
            case 1 -> b.deleteCharAt(at);
            default -> b.setCharAt(at, ch);
        }
        return b.toString();
    }
}
