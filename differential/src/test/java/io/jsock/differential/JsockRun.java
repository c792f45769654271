package io.jsock.differential;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.Sockets;
import io.jsock.UnixAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * jsock's half of the differential test: runs one call sequence through {@link Sockets#socket}
 * and returns one token per op. {@code differential.py} is CPython's half; the two must stay in
 * step, and this comment describes both.
 *
 * <p><b>The harness</b>, made afresh for each sequence, on loopback ({@code 127.0.0.1} or
 * {@code ::1}) or in a fresh directory:
 * <ul>
 *   <li>A, the socket under test, of the sequence's kind, in timeout mode ({@link #TIMEOUT});</li>
 *   <li>B, the peer: a listener (backlog 8) for stream kinds, a bound socket for datagram kinds,
 *       at loopback port 0 or the socket file {@code b}; non-blocking;</li>
 *   <li>R, an address that refuses: for TCP a socket bound and never listening (so its port is
 *       also busy), for UDP a port below the ephemeral range that nothing has bound, for AF_UNIX
 *       the file {@code r} of a socket that was closed.</li>
 * </ul>
 *
 * <p><b>Ops on A</b>: {@code socket} (close A, make a new one in timeout mode), {@code close},
 * {@code bind:T}, {@code connect:T}, {@code connect_ex:T}, {@code listen:N}, {@code accept},
 * {@code accepted} (A is from now on the socket A accepted last, as accept made it: blocking),
 * {@code send:N} (N bytes), {@code sendall:N}, {@code sendto:N:T}, {@code recv:N},
 * {@code recv_into:N} (into a new N-byte buffer), {@code recvfrom:N},
 * {@code shutdown:RD|WR|RDWR}, {@code setblocking:0|1}, {@code settimeout} (to {@link #TIMEOUT}),
 * {@code getsockname}, {@code getpeername}. Targets T: {@code B}, {@code R}, {@code self} (A's
 * getsockname), {@code lo0} (loopback port 0, or a new file {@code a1}, {@code a2}, ...),
 * {@code any0} (the wildcard address port 0, or the empty AF_UNIX name: autobind).
 *
 * <p><b>The harness's ops</b>: for stream kinds {@code peer_accept} (B accepts; the connection is the
 * peer P, non-blocking), {@code peer_connect} (a new socket connects to A's name with
 * {@link #TIMEOUT}), {@code peer_send:N}, {@code peer_recv}, {@code peer_close} and
 * {@code peer_reset} (close with SO_LINGER 0) on P; for datagram kinds {@code peer_send:N} (B sends
 * to A's name) and {@code peer_recv} (B's recvfrom).
 *
 * <p><b>Tokens</b>: {@code ok}, {@code ok:VALUE} (bytes sent or received, a name, or both), the
 * errno's number, connect_ex's number, {@code timeout} (socket.timeout), {@code invalid} (a caller's
 * mistake: Python's ValueError or TypeError, jsock's IllegalArgumentException), {@code none} (a
 * peer op without P, or {@code accepted} with nothing accepted since), {@code noname} (a harness
 * op aimed at A while A has no name), {@code blocked} (the op had not returned after
 * {@link #WATCHDOG_MILLIS}: the sequence ends there).
 *
 * <p><b>Names</b> are normalised, since ports and paths differ between runs: {@code any:P},
 * {@code lo:P} or {@code lo4:P} (::ffff:127.0.0.1), where P is {@code 0}, {@code pB}, {@code pR},
 * or {@code p1}, {@code p2}, ... numbered by first appearance; for AF_UNIX {@code B}, {@code R},
 * {@code a1}, ..., {@code abs1}, ... (abstract names by first appearance), {@code unnamed};
 * {@code None} for no address.
 */
final class JsockRun implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofMillis(50);
    static final long WATCHDOG_MILLIS = 600;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "differential-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Kind kind;
    private final Path dir;
    private final boolean unix;
    private final InetAddress loopback;
    private final InetAddress wildcard;
    private final List<Socket> owned = new ArrayList<>();
    private final Map<Object, String> names = new HashMap<>();
    private final Socket b;
    private final SocketAddress bAddress;
    private final SocketAddress rAddress;
    private Socket a;
    private Socket peer;
    private Socket lastAccepted;
    private int paths;

    /** The harness of one sequence; {@code dir} is a new, empty directory for its socket files. */
    JsockRun(Kind kind, Path dir) throws SocketError {
        this.kind = kind;
        this.dir = dir;
        this.unix = kind.family == AddressFamily.AF_UNIX;
        boolean v6 = kind.family == AddressFamily.AF_INET6;
        this.loopback = address(v6 ? "::1" : "127.0.0.1");
        this.wildcard = address(v6 ? "::" : "0.0.0.0");
        try {
            b = open();
            b.bind(unix ? UnixAddress.of(dir.resolve("b")) : new InetSocketAddress(loopback, 0));
            if (kind.stream()) {
                b.listen(8);
            }
            b.setBlocking(false);
            bAddress = b.getSockName();
            if (unix) {
                Socket r = open();
                r.bind(UnixAddress.of(dir.resolve("r")));
                rAddress = r.getSockName();
                r.close(); // the socket file stays: connecting to it is refused
                names.put(bAddress, "B");
                names.put(rAddress, "R");
            } else {
                if (kind.stream()) {
                    Socket r = open(); // bound and never listening: refuses connections, and its port is busy
                    r.bind(new InetSocketAddress(loopback, 0));
                    rAddress = r.getSockName();
                } else {
                    rAddress = new InetSocketAddress(loopback, freeUdpPort());
                }
                names.put(((InetSocketAddress) bAddress).getPort(), "pB");
                names.put(((InetSocketAddress) rAddress).getPort(), "pR");
                names.put(0, "0");
            }
            a = open();
            a.setTimeout(TIMEOUT);
        } catch (SocketError | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The tokens of the ops, one each, up to and with the first {@code blocked}. */
    List<String> run(List<String> ops) {
        List<String> tokens = new ArrayList<>();
        for (String op : ops) {
            String token = guarded(op);
            tokens.add(token);
            if (token.equals("blocked")) {
                break;
            }
        }
        return tokens;
    }

    /** One op under the watchdog, which closes A if the op has not returned in time. */
    private String guarded(String op) {
        Socket current = a;
        boolean[] fired = new boolean[1];
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            synchronized (fired) {
                fired[0] = true;
            }
            current.close();
        }, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
        String token = token(op);
        watchdog.cancel(false);
        synchronized (fired) {
            return fired[0] ? "blocked" : token;
        }
    }

    private String token(String op) {
        try {
            String result = op(op);
            return result == null ? "ok" : result;
        } catch (NoPeer e) {
            return "none";
        } catch (NoName e) {
            return "noname";
        } catch (SocketTimeoutError e) {
            return "timeout";
        } catch (SocketError e) {
            return String.valueOf(e.errno().code());
        } catch (IllegalArgumentException | NullPointerException e) {
            return "invalid";
        }
    }

    // ---- the ops --------------------------------------------------------------------------

    private String op(String text) throws SocketError {
        String[] parts = text.split(":");
        String name = parts[0];
        switch (name) {
            case "socket":
                a.close();
                a = open();
                a.setTimeout(TIMEOUT);
                return null;
            case "close":
                a.close();
                return null;
            case "bind":
                a.bind(target(parts[1]));
                return null;
            case "listen":
                a.listen(Integer.parseInt(parts[1]));
                return null;
            case "connect":
                a.connect(target(parts[1]));
                return null;
            case "connect_ex":
                return String.valueOf(a.connectEx(target(parts[1])));
            case "accept": {
                Accepted accepted = a.accept();
                owned.add(accepted.socket());
                lastAccepted = accepted.socket();
                return "ok:" + name(accepted.address());
            }
            case "accepted":
                if (lastAccepted == null) {
                    throw new NoPeer();
                }
                a = lastAccepted;
                lastAccepted = null;
                return null;
            case "send":
                return "ok:" + a.send(new byte[Integer.parseInt(parts[1])]);
            case "sendall":
                a.sendAll(new byte[Integer.parseInt(parts[1])]);
                return null;
            case "sendto":
                return "ok:" + a.sendTo(new byte[Integer.parseInt(parts[1])], target(parts[2]));
            case "recv":
                return "ok:" + a.recv(Integer.parseInt(parts[1])).length;
            case "recv_into":
                return "ok:" + a.recvInto(ByteBuffer.allocate(Integer.parseInt(parts[1])));
            case "recvfrom": {
                Datagram d = a.recvFrom(Integer.parseInt(parts[1]));
                return "ok:" + d.data().length + "," + name(d.address());
            }
            case "shutdown":
                a.shutdown(Shutdown.valueOf("SHUT_" + parts[1]));
                return null;
            case "setblocking":
                a.setBlocking(parts[1].equals("1"));
                return null;
            case "settimeout":
                a.setTimeout(TIMEOUT);
                return null;
            case "getsockname":
                return "ok:" + name(a.getSockName());
            case "getpeername":
                return "ok:" + name(a.getPeerName());
            default:
                if (name.startsWith("peer_")) {
                    return peerOp(name.substring(5), parts);
                }
                throw new IllegalStateException("no op " + text);
        }
    }

    private String peerOp(String name, String[] parts) throws SocketError {
        if (!kind.stream()) {
            switch (name) {
                case "send":
                    return "ok:" + b.sendTo(new byte[Integer.parseInt(parts[1])], aName());
                case "recv": {
                    Datagram d = b.recvFrom(65536);
                    return "ok:" + d.data().length + "," + name(d.address());
                }
                default:
                    throw new IllegalStateException("no peer op " + name);
            }
        }
        switch (name) {
            case "connect": {
                SocketAddress target = aName();
                Socket c = open();
                c.setTimeout(TIMEOUT);
                c.connect(target);
                return null;
            }
            case "accept": {
                Accepted accepted = b.accept();
                accepted.socket().setBlocking(false);
                owned.add(accepted.socket());
                peer = accepted.socket();
                return "ok:" + name(accepted.address());
            }
            default:
                break;
        }
        if (peer == null) {
            throw new NoPeer();
        }
        switch (name) {
            case "send":
                return "ok:" + peer.send(new byte[Integer.parseInt(parts[1])]);
            case "recv":
                return "ok:" + peer.recv(65536).length;
            case "close":
                peer.close();
                peer = null;
                return null;
            case "reset":
                peer.setOption(StandardSocketOptions.SO_LINGER, 0);
                peer.close();
                peer = null;
                return null;
            default:
                throw new IllegalStateException("no peer op " + name);
        }
    }

    private SocketAddress target(String name) throws SocketError {
        switch (name) {
            case "B":
                return bAddress;
            case "R":
                return rAddress;
            case "self":
                return a.getSockName();
            case "lo0":
                return unix ? UnixAddress.of(dir.resolve("a" + ++paths)) : new InetSocketAddress(loopback, 0);
            case "any0":
                return unix ? UnixAddress.unnamed() : new InetSocketAddress(wildcard, 0);
            default:
                throw new IllegalStateException("no target " + name);
        }
    }

    /** A's name, for the harness's ops aimed at A. */
    private SocketAddress aName() {
        SocketAddress name;
        try {
            name = a.getSockName();
        } catch (SocketError e) {
            throw new NoName();
        }
        if (name instanceof UnixAddress u && u.isUnnamed()) {
            throw new NoName();
        }
        return name;
    }

    // ---- names as tokens ------------------------------------------------------------------

    private String name(SocketAddress address) {
        if (address == null) {
            return "None";
        }
        if (address instanceof UnixAddress u) {
            if (u.isUnnamed()) {
                return "unnamed";
            }
            if (u.isAbstract()) {
                return number(u, "abs");
            }
            if (names.containsKey(u)) {
                return names.get(u);
            }
            Path p = u.path();
            return dir.equals(p.getParent()) ? p.getFileName().toString() : "path";
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return host(inet.getAddress()) + ":" + number(inet.getPort(), "p");
    }

    private String number(Object key, String prefix) {
        return names.computeIfAbsent(key, k -> prefix + (names.values().stream()
                .filter(v -> v.startsWith(prefix) && !v.substring(prefix.length()).isEmpty()
                        && v.substring(prefix.length()).chars().allMatch(Character::isDigit))
                .count() + 1));
    }

    /** A host as a token, as differential.py's HOSTS table has it. */
    private static String host(InetAddress a) {
        byte[] b = a.getAddress();
        if (a.isAnyLocalAddress()) {
            return "any";
        }
        if (a instanceof Inet4Address) {
            return a.getHostAddress().equals("127.0.0.1") ? "lo" : a.getHostAddress();
        }
        boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped) {
            String v4 = (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            return v4.equals("127.0.0.1") ? "lo4" : "::ffff:" + v4;
        }
        return a.isLoopbackAddress() ? "lo" : ((Inet6Address) a).getHostAddress();
    }

    // ---- the harness's sockets ------------------------------------------------------------

    private Socket open() throws SocketError {
        Socket s = Sockets.socket(kind.family, kind.type);
        owned.add(s);
        return s;
    }

    /** A UDP port below Linux's ephemeral range (32768) that nothing has bound: a port that refuses. */
    private int freeUdpPort() throws SocketError {
        while (true) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            try (Socket probe = Sockets.socket(kind.family, kind.type)) {
                try {
                    probe.bind(new InetSocketAddress(loopback, port));
                    return port;
                } catch (SocketError taken) {
                    // another port
                }
            }
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(literal + " is a literal", impossible);
        }
    }

    @Override
    public void close() {
        for (Socket s : owned) {
            s.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + dir, e);
        }
    }

    /** A peer op with no peer connection: the token {@code none}. */
    private static final class NoPeer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoPeer() {
            super(null, null, false, false);
        }
    }

    /** A harness op aimed at A while A has no name (closed, or unnamed): the token {@code noname}. */
    private static final class NoName extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoName() {
            super(null, null, false, false);
        }
    }
}
