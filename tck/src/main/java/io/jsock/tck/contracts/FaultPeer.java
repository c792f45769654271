package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.UnixAddress;
import io.jsock.spi.SocketProvider;
import io.jsock.tck.TckTarget;
import org.opentest4j.TestAbortedException;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The peer {@link FaultContract} runs in a second JVM and kills, or the scenario it runs where a
 * limit of its own must apply. Every mode prints {@code connected} (or its results) on a line.
 *
 * <pre>
 * FaultPeer send PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE ADDRESS   # connects, then sends the pattern until killed
 * FaultPeer sink PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE ADDRESS   # connects, then never reads until killed
 * FaultPeer emfile PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE         # accept at the descriptor limit, then below it
 * </pre>
 *
 * <p>ADDRESS is {@code inet:HOST:PORT} or {@code unix:PATH}, as {@link #encode} writes it. A peer that
 * is not killed ends by itself after {@link #LIFETIME_SECONDS}. Exit status 0;
 * {@value ChildJvm#CANNOT_RUN} when the scenario cannot run here; 2 for a bad command line.
 */
public final class FaultPeer {
    /** The longest a peer lives when nobody kills it. */
    static final int LIFETIME_SECONDS = 120;
    /** How many sockets the emfile mode opens at most while looking for the limit. */
    static final int MAX_FILLERS = 4096;

    private FaultPeer() {
    }

    /** The byte at offset {@code i} of the stream a sending peer sends. */
    static byte pattern(long i) {
        return (byte) (i % 251);
    }

    /** An address as one command-line argument. */
    static String encode(SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            return "inet:" + a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        if (address instanceof UnixAddress u && !u.isAbstract() && !u.isUnnamed()) {
            return "unix:" + u.path();
        }
        throw new IllegalArgumentException("a fault peer cannot be told the address " + address);
    }

    static SocketAddress decode(String text) throws Exception {
        if (text.startsWith("unix:")) {
            return UnixAddress.of(text.substring("unix:".length()));
        }
        int colon = text.lastIndexOf(':');
        if (!text.startsWith("inet:") || colon <= "inet:".length()) {
            throw new IllegalArgumentException("not an address a fault peer takes: " + text);
        }
        return new InetSocketAddress(InetAddress.getByName(text.substring("inet:".length(), colon)),
                Integer.parseInt(text.substring(colon + 1)));
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String mode = args.length > 0 ? args[0] : "";
        boolean withAddress = mode.equals("send") || mode.equals("sink");
        if (!(withAddress && args.length == 6 || mode.equals("emfile") && args.length == 5)) {
            System.err.println("usage: FaultPeer send|sink PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE ADDRESS"
                    + " | emfile PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE");
            System.exit(2);
        }
        SocketProvider provider = SocketProbe.provider(args[1], args[2]);
        try (TckTarget t = new TckTarget(provider, AddressFamily.valueOf(args[3]), SocketType.valueOf(args[4]), 0)) {
            switch (mode) {
                case "send" -> send(t, decode(args[5]), out);
                case "sink" -> sink(t, decode(args[5]), out);
                default -> emfile(t, out);
            }
        } catch (TestAbortedException e) {
            System.err.println(e.getMessage());
            System.exit(ChildJvm.CANNOT_RUN);
        }
        System.exit(0);
    }

    private static void send(TckTarget t, SocketAddress address, PrintStream out) throws SocketError {
        Socket s = t.open();
        s.connect(address);
        out.println("connected");
        byte[] chunk = new byte[64 * 1024];
        long offset = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIFETIME_SECONDS);
        while (System.nanoTime() < end) {
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = pattern(offset + i);
            }
            s.sendAll(chunk);
            offset += chunk.length;
        }
    }

    private static void sink(TckTarget t, SocketAddress address, PrintStream out) throws Exception {
        Socket s = t.open();
        s.connect(address);
        out.println("connected");
        // waits for the first byte and leaves it unread, so that its death resets the connection
        // (a close with nothing unread is a FIN, after which MPTCP, unlike TCP, may go on taking data)
        s.setTimeout(java.time.Duration.ofSeconds(LIFETIME_SECONDS));
        try {
            s.recv(1, io.jsock.MessageFlags.MSG_PEEK);
            out.println("peeked");
        } catch (SocketError e) {
            out.println("peeked not: " + e.errno());
        }
        new CountDownLatch(1).await(LIFETIME_SECONDS, TimeUnit.SECONDS); // never reads: waits to be killed
        s.close();
    }

    /** Runs the calls of {@link #emfile} once with descriptors to spare, so their classes are loaded. */
    private static void warmUp(TckTarget t) throws SocketError {
        TckTarget.Connection c = t.connection();
        c.client().sendAll(new byte[] {1});
        c.server().setTimeout(java.time.Duration.ofSeconds(10));
        c.server().recv(1);
        c.listener().setBlocking(false);
        try {
            c.listener().accept();
        } catch (SocketError expected) {
            expected.errno(); // EAGAIN: the failing accept's path
        }
        c.client().close();
        c.server().close();
        c.listener().close();
    }

    /**
     * Under a descriptor limit (the caller's {@code ulimit -n}): a connection waits on a listener, the
     * process opens sockets until socket() fails, accept then fails as well, and after one socket is
     * closed the waiting connection is accepted and carries a byte. Prints one line per step.
     */
    private static void emfile(TckTarget t, PrintStream out) throws SocketError {
        warmUp(t); // at the limit the JVM cannot open a class file either: load what the steps use first
        Socket listener = t.listener();
        Socket client = t.open();
        client.connect(listener.getSockName());
        List<Socket> fillers = new ArrayList<>();
        SocketError limit = null;
        while (limit == null && fillers.size() < MAX_FILLERS) {
            try {
                fillers.add(t.open());
            } catch (SocketError e) {
                limit = e;
            }
        }
        if (limit == null) {
            out.println("socket no error after " + MAX_FILLERS + " sockets");
            return;
        }
        out.println("socket " + limit.errno().name());
        try {
            t.track(listener.accept());
            out.println("accept no error");
        } catch (SocketError e) {
            out.println("accept " + e.errno().name());
        }
        fillers.remove(fillers.size() - 1).close();
        Socket server = t.track(listener.accept());
        client.sendAll(new byte[] {42});
        server.setTimeout(java.time.Duration.ofSeconds(10));
        byte[] got = server.recv(1);
        out.println("after-close " + (got.length == 1 && got[0] == 42 ? "carried" : "lost " + got.length)
                + (limit.errno() == Errno.EMFILE ? "" : " (socket failed with " + limit.errno() + ")"));
    }
}
