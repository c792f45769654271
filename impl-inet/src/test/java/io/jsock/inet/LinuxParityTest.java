package io.jsock.inet;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.tck.TckTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Linux behaviours of TCP call sequences that a socket library easily gets wrong (JDK NIO did: a
 * listener is a separate channel there, a failed connect closes the channel, a reset is reported
 * again and again, ...). Each scenario states the answer Linux gives; the provider must
 * give it, and CPython on this machine ({@code linux_parity.py}, the same scenario) must agree, so
 * the expectation is checked against the real kernel rather than written from memory.
 *
 * <p>Results are tokens: {@code ok}, an errno number, {@code empty} (an empty recv), {@code timeout}.
 */
class LinuxParityTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final InetProvider PROVIDER = new InetProvider();
    private static Map<String, String> cpython;

    /** What Linux answers, scenario by scenario. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("unbound-sockname-v4", "0.0.0.0:0");
        EXPECTED.put("unbound-sockname-v6", "[::]:0");
        EXPECTED.put("listen-unbound-binds-wildcard", "0.0.0.0:free-port");
        EXPECTED.put("connect-on-listener", "106");                       // EISCONN
        EXPECTED.put("listen-twice", "ok");
        EXPECTED.put("bind-on-listener", "22");                           // EINVAL
        EXPECTED.put("bind-listen-accept-on-connected", "22,22,22");
        EXPECTED.put("recv-zero-unconnected", "empty");
        EXPECTED.put("send-empty-unconnected", "32");                     // EPIPE
        EXPECTED.put("recv-send-on-listener", "107,32,107");              // ENOTCONN, EPIPE, ENOTCONN
        EXPECTED.put("sendto-connected-ignores-address", "1,data");
        EXPECTED.put("recvfrom-connected-has-no-address", "data,None");
        EXPECTED.put("nonblocking-connect-sequence", "115,ok,106");       // EINPROGRESS, success once, EISCONN
        EXPECTED.put("nonblocking-connect-refused-sequence", "115,111,115"); // the refused socket can connect again
        EXPECTED.put("refused-socket-stays-usable", "111,111,ok");
        EXPECTED.put("refused-keeps-bound-address", "111,same");
        EXPECTED.put("refused-twice-with-timeout", "111,103,ok");        // Linux: ECONNABORTED the second time
        EXPECTED.put("connect-after-timeout-is-already", "timeout,114,11,11,107"); // EALREADY, then EAGAIN for I/O
        EXPECTED.put("recv-after-reset", "104,empty,107,107");            // ECONNRESET once, then end of stream
        EXPECTED.put("send-after-reset", "104,32");
        EXPECTED.put("send-after-peer-close", "32");
        EXPECTED.put("own-shutdowns", "32,empty,ok,empty");
        EXPECTED.put("listener-shutdown", "ok,0,ok,22,111,same,ok,0");    // SHUT_RD stops listening, listen resumes
        EXPECTED.put("listener-reuseaddr-default", "0");                  // the JDK's listener default is 1
        EXPECTED.put("accepted-inherits-nodelay", "1");
        EXPECTED.put("dual-stack-peer-is-mapped", "::ffff:127.0.0.1,::ffff:127.0.0.1");
        EXPECTED.put("bind-foreign-address", "99");                       // EADDRNOTAVAIL
        EXPECTED.put("connect-port-zero", "111");
        EXPECTED.put("socketpair-inet", "95,95");                         // EOPNOTSUPP: Linux has no TCP socketpair
    }

    private final Map<String, Scenario> scenarios = new HashMap<>();

    @FunctionalInterface
    interface Scenario {
        String run(TckTarget v4) throws Exception;
    }

    @TestFactory
    Stream<DynamicNode> jsockAnswersLikeLinux() {
        register();
        List<DynamicNode> tests = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            Scenario scenario = scenarios.get(e.getKey());
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                try (TckTarget t = new TckTarget(PROVIDER, AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
                    assertEquals(e.getValue(), scenario.run(t), "jsock's answer in scenario " + e.getKey());
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicNode> cpythonConfirmsTheExpectations() {
        List<DynamicNode> tests = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> assertEquals(e.getValue(), cpython().get(e.getKey()),
                    "CPython's answer in scenario " + e.getKey() + " (linux_parity.py)")));
        }
        return tests.stream();
    }

    private static synchronized Map<String, String> cpython() throws Exception {
        if (cpython == null) {
            String script;
            try (InputStream in = LinuxParityTest.class.getResourceAsStream("linux_parity.py")) {
                script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> answers = new HashMap<>();
            try (Python python = Python.start(script)) {
                for (String line : python.finish(Duration.ofSeconds(60)).split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        answers.put(line.substring(0, eq), line.substring(eq + 1).trim());
                    }
                }
            }
            cpython = answers;
        }
        return cpython;
    }

    @AfterAll
    static void forget() {
        cpython = null;
    }

    // ---- the scenarios, as linux_parity.py has them --------------------------------------

    private void register() {
        scenarios.put("unbound-sockname-v4", t -> address(t.open().getSockName()));
        scenarios.put("unbound-sockname-v6", t -> {
            try (Socket s = PROVIDER.open(AddressFamily.AF_INET6, SocketType.SOCK_STREAM, 0)) {
                return address(s.getSockName());
            }
        });
        scenarios.put("listen-unbound-binds-wildcard", t -> {
            Socket s = t.open();
            s.listen(5);
            InetSocketAddress a = (InetSocketAddress) s.getSockName();
            return host(a.getAddress()) + (a.getPort() > 0 ? ":free-port" : ":0");
        });
        scenarios.put("connect-on-listener", t -> {
            Socket l = t.listener();
            return err(() -> l.connect(l.getSockName()));
        });
        scenarios.put("listen-twice", t -> {
            Socket l = t.listener();
            return err(() -> l.listen(5));
        });
        scenarios.put("bind-on-listener", t -> {
            Socket l = t.listener();
            return err(() -> l.bind(t.bindAddress()));
        });
        scenarios.put("bind-listen-accept-on-connected", t -> {
            TckTarget.Connection c = t.connection();
            return String.join(",", err(() -> c.client().bind(t.bindAddress())), err(() -> c.client().listen(5)),
                    err(() -> c.client().accept()));
        });
        scenarios.put("recv-zero-unconnected", t -> err(() -> t.open().recv(0)));
        scenarios.put("send-empty-unconnected", t -> err(() -> t.open().send(new byte[0])));
        scenarios.put("recv-send-on-listener", t -> {
            Socket l = t.listener();
            return String.join(",", err(() -> l.recv(1)), err(() -> l.send(new byte[] {1})), err(l::getPeerName));
        });
        scenarios.put("sendto-connected-ignores-address", t -> {
            TckTarget.Connection c = t.connection();
            return String.join(",", err(() -> c.client().sendTo(new byte[] {1}, new InetSocketAddress("127.0.0.1", 9))),
                    err(() -> c.server().recv(1)));
        });
        scenarios.put("recvfrom-connected-has-no-address", t -> {
            TckTarget.Connection c = t.connection();
            c.client().sendAll(new byte[] {1});
            SocketAddress from = c.server().recvFrom(1).address();
            return "data," + (from == null ? "None" : address(from));
        });
        scenarios.put("nonblocking-connect-sequence", t -> {
            Socket l = t.listener();
            Socket c = t.open();
            c.setBlocking(false);
            return String.join(",", err(() -> c.connect(l.getSockName())), until(() -> c.connect(l.getSockName()), "114"),
                    err(() -> c.connect(l.getSockName())));
        });
        scenarios.put("nonblocking-connect-refused-sequence", t -> {
            SocketAddress refusing = t.refusingAddress();
            Socket c = t.open();
            c.setBlocking(false);
            return String.join(",", err(() -> c.connect(refusing)), until(() -> c.connect(refusing), "114"),
                    err(() -> c.connect(refusing)));
        });
        scenarios.put("refused-socket-stays-usable", t -> {
            SocketAddress refusing = t.refusingAddress();
            Socket c = t.open();
            Socket l = t.listener();
            return String.join(",", err(() -> c.connect(refusing)), err(() -> c.connect(refusing)), err(() -> c.connect(l.getSockName())));
        });
        scenarios.put("refused-keeps-bound-address", t -> {
            SocketAddress refusing = t.refusingAddress();
            Socket c = t.bound();
            SocketAddress before = c.getSockName();
            String e = err(() -> c.connect(refusing));
            return e + "," + (before.equals(c.getSockName()) ? "same" : "changed");
        });
        scenarios.put("refused-twice-with-timeout", t -> {
            SocketAddress refusing = t.refusingAddress();
            Socket c = t.bound();
            Socket l = t.listener();
            c.setTimeout(Duration.ofSeconds(30));
            return String.join(",", err(() -> c.connect(refusing)), err(() -> c.connect(refusing)), err(() -> c.connect(l.getSockName())));
        });
        scenarios.put("connect-after-timeout-is-already", t -> {
            Socket l = fullListener(t);
            Socket c = t.open();
            c.setTimeout(Duration.ofMillis(200));
            String first = err(() -> c.connect(l.getSockName()));
            String second = err(() -> c.connect(l.getSockName()));
            c.setBlocking(false);
            return String.join(",", first, second, err(() -> c.recv(1)), err(() -> c.send(new byte[] {1})), err(c::getPeerName));
        });
        scenarios.put("recv-after-reset", t -> {
            Socket c = resetClient(t);
            return String.join(",", err(() -> c.recv(1)), err(() -> c.recv(1)), err(c::getPeerName),
                    err(() -> c.shutdown(Shutdown.SHUT_RDWR)));
        });
        scenarios.put("send-after-reset", t -> {
            Socket c = resetClient(t);
            return String.join(",", err(() -> c.send(new byte[] {1})), err(() -> c.send(new byte[] {1})));
        });
        scenarios.put("send-after-peer-close", t -> {
            TckTarget.Connection c = t.connection();
            c.server().close();
            return until(() -> c.client().send(new byte[] {1}), "1");
        });
        scenarios.put("own-shutdowns", t -> {
            TckTarget.Connection c = t.connection();
            c.client().shutdown(Shutdown.SHUT_WR);
            c.client().shutdown(Shutdown.SHUT_RD);
            return String.join(",", err(() -> c.client().send(new byte[] {1})), err(() -> c.client().recv(1)),
                    err(() -> c.client().shutdown(Shutdown.SHUT_WR)), err(() -> c.server().recv(1)));
        });
        scenarios.put("listener-shutdown", t -> {
            Socket l = t.listener();
            SocketAddress addr = l.getSockName();
            String wr = err(() -> l.shutdown(Shutdown.SHUT_WR));
            String still = String.valueOf(t.open().connectEx(addr));
            String rd = err(() -> l.shutdown(Shutdown.SHUT_RD));
            String accept = err(l::accept);
            String refused = String.valueOf(t.open().connectEx(addr));
            String same = addr.equals(l.getSockName()) ? "same" : "changed";
            String again = err(() -> l.listen(5));
            String back = String.valueOf(t.open().connectEx(l.getSockName()));
            return String.join(",", wr, still, rd, accept, refused, same, again, back);
        });
        scenarios.put("listener-reuseaddr-default", t -> flag(t.listener().getOption(StandardSocketOptions.SO_REUSEADDR)));
        scenarios.put("accepted-inherits-nodelay", t -> {
            Socket l = t.open();
            l.setOption(StandardSocketOptions.TCP_NODELAY, true);
            l.bind(t.bindAddress());
            l.listen(5);
            t.open().connect(l.getSockName());
            return flag(t.track(l.accept()).getOption(StandardSocketOptions.TCP_NODELAY));
        });
        scenarios.put("bind-foreign-address", t -> err(() -> t.open().bind(new InetSocketAddress("192.0.2.1", 0))));
        scenarios.put("connect-port-zero", t -> err(() -> t.open().connect(new InetSocketAddress("127.0.0.1", 0))));
        scenarios.put("socketpair-inet", t -> String.join(",",
                err(() -> PROVIDER.openPair(AddressFamily.AF_INET, SocketType.SOCK_STREAM)),
                err(() -> PROVIDER.openPair(AddressFamily.AF_INET6, SocketType.SOCK_STREAM))));
        scenarios.put("dual-stack-peer-is-mapped", t -> {
            try (Socket l = PROVIDER.open(AddressFamily.AF_INET6, SocketType.SOCK_STREAM, 0)) {
                l.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
                l.listen(5);
                int port = ((InetSocketAddress) l.getSockName()).getPort();
                t.open().connect(new InetSocketAddress("127.0.0.1", port));
                Accepted a = l.accept();
                try (Socket s = a.socket()) {
                    return host(((InetSocketAddress) a.address()).getAddress()) + ","
                            + host(((InetSocketAddress) s.getPeerName()).getAddress());
                }
            }
        });
    }

    /** A listener whose accept queue is full, so a further connect stays pending (SYNs are dropped). */
    private static Socket fullListener(TckTarget t) throws SocketError {
        Socket l = t.open();
        l.bind(t.bindAddress());
        l.listen(0);
        for (int i = 0; i < 8; i++) {
            Socket filler = t.open();
            filler.setBlocking(false);
            filler.connectEx(l.getSockName());
        }
        return l;
    }

    /** A client whose peer closed with SO_LINGER 0, once the reset has arrived. */
    private static Socket resetClient(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        String local = procAddress((InetSocketAddress) c.client().getSockName());
        String remote = procAddress((InetSocketAddress) c.client().getPeerName());
        if (!listed(local, remote)) {
            throw new AssertionError("connection " + local + " -> " + remote + " is not in /proc/net/tcp before the reset");
        }
        c.server().setOption(StandardSocketOptions.SO_LINGER, 0);
        c.server().close();
        TckTarget.await("the reset to reach the client (its connection " + local + " -> " + remote + " gone from /proc/net/tcp)",
                LIMIT, () -> !listed(local, remote));
        return c.client();
    }

    /** An IPv4 address as /proc/net/tcp writes it: the address in host byte order, then the port, in hex. */
    private static String procAddress(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        return String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X", b[3], b[2], b[1], b[0], a.getPort());
    }

    /** Whether the kernel lists the connection; a socket that a reset closed is not listed. */
    private static boolean listed(String local, String remote) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals(local) && f[2].equals(remote)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- results as tokens --------------------------------------------------------------

    @FunctionalInterface
    interface Call {
        Object call() throws Exception;
    }

    @FunctionalInterface
    interface VoidCall {
        void call() throws Exception;
    }

    private static String err(VoidCall call) {
        return err(() -> {
            call.call();
            return null;
        });
    }

    private static String err(Call call) {
        try {
            Object r = call.call();
            if (r == null) {
                return "ok";
            }
            if (r instanceof byte[] b) {
                return b.length == 0 ? "empty" : "data";
            }
            if (r instanceof Accepted) {
                return "accepted";
            }
            return String.valueOf(r);
        } catch (SocketTimeoutError e) {
            return "timeout";
        } catch (SocketError e) {
            return String.valueOf(e.errno().code());
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    private static String until(VoidCall call, String keep) {
        return until(() -> {
            call.call();
            return null;
        }, keep);
    }

    /** Repeats {@code call} while it answers {@code keep}, at most for {@link #LIMIT}. */
    private static String until(Call call, String keep) {
        String[] last = new String[1];
        TckTarget.await("an answer other than " + keep, LIMIT, () -> !(last[0] = err(call)).equals(keep));
        return last[0];
    }

    private static String flag(Boolean b) {
        return b ? "1" : "0";
    }

    /** An address as Python prints it. */
    private static String address(SocketAddress a) {
        InetSocketAddress inet = (InetSocketAddress) a;
        String host = host(inet.getAddress());
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }

    private static String host(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        if (a.isAnyLocalAddress()) {
            return "::";
        }
        if (a.isLoopbackAddress()) {
            return "::1";
        }
        return ((Inet6Address) a).getHostAddress();
    }
}
