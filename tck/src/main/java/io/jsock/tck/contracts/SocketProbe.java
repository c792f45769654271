package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import io.jsock.spi.SocketProvider;
import io.jsock.tck.TckTarget;
import org.opentest4j.TestAbortedException;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The program {@link ChildJvm} runs: fixed scenarios through one provider, one line each.
 *
 * <pre>
 * SocketProbe errnos PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE   # "scenario ERRNO" per scenario of the triple
 * SocketProbe fileno PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE   # "fileno N LINK" or "fileno ERRNO message"
 * </pre>
 *
 * <p>{@code errnos} first prints {@code strerror ENOENT: ...}, the JDK's own text for a missing file,
 * so the caller can tell whether the locale reached the messages. Only loopback traffic: the address
 * not of this host (203.0.113.1, 2001:db8::1, documentation prefixes) is bound to, never contacted.
 * Exit status 0; {@value ChildJvm#CANNOT_RUN} with the reason on standard error when the scenarios
 * cannot run here; 2 for a bad command line.
 */
public final class SocketProbe {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private SocketProbe() {
    }

    /** A scenario: makes a call that should fail. */
    @FunctionalInterface
    private interface Scenario {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length != 5 || !(args[0].equals("errnos") || args[0].equals("fileno"))) {
            System.err.println("usage: SocketProbe errnos|fileno PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE");
            System.exit(2);
        }
        SocketProvider provider = provider(args[1], args[2]);
        AddressFamily family = AddressFamily.valueOf(args[3]);
        SocketType type = SocketType.valueOf(args[4]);
        try (TckTarget t = new TckTarget(provider, family, type, 0)) {
            if (args[0].equals("fileno")) {
                fileno(t, out);
            } else {
                out.println("strerror ENOENT: " + missingFileMessage(t));
                for (Map.Entry<String, Scenario> s : scenarios(t).entrySet()) {
                    out.println(s.getKey() + " " + outcome(s.getValue()));
                }
            }
        } catch (TestAbortedException e) {
            System.err.println(e.getMessage());
            System.exit(ChildJvm.CANNOT_RUN);
        }
        System.exit(0);
    }

    /** The provider of that class and name: the installed one, else one made by its no-argument constructor. */
    static SocketProvider provider(String className, String name) {
        for (SocketProvider p : Sockets.providers()) {
            if (p.name().equals(name) && p.getClass().getName().equals(className)) {
                return p;
            }
        }
        try {
            var constructor = Class.forName(className).asSubclass(SocketProvider.class).getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            System.err.println("the provider " + name + " (" + className + ") is not installed in the probe JVM"
                    + " and cannot be made by a no-argument constructor: " + e);
            System.exit(ChildJvm.CANNOT_RUN);
            throw new AssertionError(e);
        }
    }

    private static void fileno(TckTarget t, PrintStream out) throws IOException {
        try {
            int fd = t.open().fileno();
            Path link = Path.of("/proc/self/fd/" + fd);
            out.println("fileno " + fd + " " + (Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : "(no " + link + ")"));
        } catch (SocketError e) {
            out.println("fileno " + e.errno() + " " + e.getMessage());
        }
    }

    /** The scenarios of the triple, in a fixed order: name, and the call that fails. */
    private static Map<String, Scenario> scenarios(TckTarget t) throws IOException {
        Map<String, Scenario> s = new LinkedHashMap<>();
        boolean inet = t.family() == AddressFamily.AF_INET || t.family() == AddressFamily.AF_INET6;
        boolean connections = t.semantics().connectionOriented();
        if (inet) {
            InetAddress foreign = InetAddress.getByName(t.family() == AddressFamily.AF_INET ? "203.0.113.1" : "2001:db8::1");
            s.put("bind-address-not-of-this-host", () -> t.open().bind(new InetSocketAddress(foreign, 0)));
            s.put("bind-address-in-use", () -> {
                Socket holder = connections ? t.listener() : t.bound();
                t.open().bind(holder.getSockName());
            });
        }
        if (inet && connections) {
            s.put("connect-refused", () -> t.open().connect(t.refusingAddress()));
            TckTarget.Connection[] reset = new TckTarget.Connection[1];
            s.put("recv-after-peer-reset", () -> {
                reset[0] = t.connection();
                reset[0].server().setOption(StandardSocketOptions.SO_LINGER, 0);
                reset[0].server().close(); // SO_LINGER 0: the close sends RST
                reset[0].client().setTimeout(LIMIT);
                reset[0].client().recv(1);
            });
            s.put("send-after-peer-reset", () -> reset[0].client().send(new byte[1]));
        }
        if (inet && !connections) {
            s.put("sendto-longer-than-udp-allows", () -> {
                Socket to = t.bound();
                t.bound().sendTo(new byte[DatagramSupport.maxUdpPayload(t.family()) + 1], to.getSockName());
            });
            s.put("recv-after-port-unreachable", () -> {
                Socket s1 = t.bound();
                s1.connect(t.refusingAddress());
                s1.setTimeout(LIMIT);
                s1.send(new byte[1]);
                s1.recv(1);
            });
        }
        if (t.family() == AddressFamily.AF_UNIX) {
            s.put("connect-missing-path", () -> t.open().connect(UnixAddress.of(t.newSocketPath())));
            s.put("bind-path-of-a-regular-file", () -> {
                Path file = Files.writeString(t.newSocketPath(), "not a socket");
                t.open().bind(UnixAddress.of(file));
            });
            s.put("bind-in-missing-directory", () -> t.open().bind(UnixAddress.of(t.tempDir().resolve("missing").resolve("s.sock"))));
            s.put("connect-nobody-serves", () -> {
                Socket gone = t.open();
                gone.bind(t.bindAddress());
                SocketAddress name = gone.getSockName();
                gone.close(); // the file stays, nobody serves it
                t.open().connect(name);
            });
        }
        return s;
    }

    private static String outcome(Scenario scenario) {
        try {
            scenario.run();
            return "no error";
        } catch (SocketError e) {
            return e.errno().name();
        } catch (Exception e) {
            return "threw " + e.getClass().getName();
        }
    }

    /** The JDK's message for opening a missing file: strerror(ENOENT) in this process's locale. */
    private static String missingFileMessage(TckTarget t) {
        Path missing = t.tempDir().resolve("missing");
        try (FileInputStream in = new FileInputStream(missing.toFile())) {
            return "(the missing file " + missing + " opened: " + in + ")";
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            String text = m.startsWith(missing.toString()) ? m.substring(missing.toString().length()).strip() : m;
            return text.startsWith("(") && text.endsWith(")") ? text.substring(1, text.length() - 1) : text; // "path (strerror)"
        }
    }
}
