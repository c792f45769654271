package io.jsock.cli;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.MessageFlags;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;

import java.io.PrintStream;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code jsock echo [-v] FAMILY TYPE ADDRESS}: an echo server that runs until killed, or until the
 * thread running it is interrupted (then it closes every socket and returns 0).
 */
final class EchoCommand {
    /** Larger than any datagram: the largest UDP payload is 65507 bytes. */
    private static final int DATAGRAM_BUFSIZE = 65_536;
    /** What a datagram server asks for its receive queue; Linux caps it at net.core.rmem_max. */
    private static final int BURST_RCVBUF = 16 << 20;
    private static final int STREAM_BUFSIZE = 64 * 1024;
    /** Larger than a SOCK_SEQPACKET message can be with Linux's default send buffer, so none is cut. */
    private static final int MESSAGE_BUFSIZE = 256 * 1024;
    /**
     * SOMAXCONN, which Linux caps at net.core.somaxconn: with 128, a thousand clients connecting at
     * once overflow the queue, and the handshakes Linux drops come back only as SYN-ACK retries
     * seconds apart, while each client believes it is connected.
     */
    private static final int BACKLOG = 4096;
    /** accept(2) errors that say the process or the system is out of something that frees up again. */
    private static final Set<Errno> EXHAUSTED = EnumSet.of(Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM);
    private static final long LONGEST_PAUSE_MILLIS = 1_000;

    static final Args.Spec OPTIONS = new Args.Spec().flag("--verbose", "-v");

    private EchoCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageError, SocketError {
        Args args = Args.parse(argv, OPTIONS);
        Args.Target target = args.target("echo");
        boolean verbose = args.flag("--verbose");
        boolean connections = Endpoints.connectionOriented(target.type());
        SocketAddress address = Endpoints.resolve(target.address(), target.family(), target.type());
        try (Socket server = Sockets.socket(target.family(), target.type())) {
            if (!connections) {
                absorbBursts(server);
            }
            SocketFiles.Owned file;
            if (address instanceof UnixAddress unix) {
                // a stale socket file (its server was killed) is replaced, a live one or another file never
                file = SocketFiles.own(unix, SocketFiles.bind(server, unix), err);
            } else {
                if (target.family() != AddressFamily.AF_UNIX && connections) {
                    // as Python's create_server: a restarted server gets its port back at once
                    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                }
                server.bind(address);
                file = SocketFiles.own(null, null, err);
            }
            try (SocketFiles.Owned owned = file) {
                if (connections) {
                    server.listen(BACKLOG);
                }
                out.println("listening on " + Endpoints.format(server.getSockName()));
                out.flush();
                return connections ? serveConnections(server, target.type(), verbose, err) : serveDatagrams(server, verbose, err);
            }
        } catch (SocketError e) {
            if (Thread.currentThread().isInterrupted()) {
                return 0;
            }
            throw e;
        }
    }

    private static int serveConnections(Socket server, SocketType type, boolean verbose, PrintStream err) throws SocketError {
        Set<Socket> open = ConcurrentHashMap.newKeySet();
        long pause = 0;
        try {
            while (true) {
                Accepted accepted;
                try {
                    accepted = server.accept();
                } catch (SocketError e) {
                    if (e.errno() == Errno.ECONNABORTED) {
                        continue; // the client gave up before accept: nothing to serve
                    }
                    if (!EXHAUSTED.contains(e.errno())) {
                        throw e;
                    }
                    // out of descriptors: the connections wait in the backlog while those open end
                    if (pause == 0) {
                        err.println("jsock: " + UsageError.oneLine(e.getMessage()) + "; accepting again as soon as it can");
                        err.flush();
                    }
                    pause = pause == 0 ? 10 : Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        return 0;
                    }
                    continue;
                }
                if (pause != 0 && verbose) {
                    err.println("jsock: accepting again");
                }
                pause = 0;
                Socket connection = accepted.socket();
                open.add(connection);
                String peer = Endpoints.format(accepted.address());
                if (verbose) {
                    err.println("jsock: accepted " + peer);
                }
                Thread t = new Thread(() -> {
                    long echoed = 0;
                    try {
                        echoed = echo(connection, type == SocketType.SOCK_STREAM ? STREAM_BUFSIZE : MESSAGE_BUFSIZE);
                        if (verbose) {
                            err.println("jsock: " + peer + " ended after " + echoed + " bytes");
                        }
                    } catch (SocketError e) {
                        if (!connection.isClosed()) {
                            err.println("jsock: " + peer + ": " + UsageError.oneLine(e.getMessage()));
                        }
                    } finally {
                        connection.close();
                        open.remove(connection);
                    }
                }, "jsock echo " + peer);
                t.setDaemon(true);
                t.start();
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    /** A connection's bytes (or messages, one by one) back to it until it ends; returns how many bytes. */
    private static long echo(Socket connection, int bufsize) throws SocketError {
        ByteBuffer buffer = ByteBuffer.allocate(bufsize);
        long total = 0;
        int n;
        while ((n = connection.recvInto(buffer.clear())) > 0) {
            connection.sendAll(buffer.flip());
            total += n;
        }
        return total;
    }

    /**
     * A datagram server's receive queue as long as the system allows ({@code net.core.rmem_max}):
     * with the default (about 200 KiB, some 100 datagrams of 1 KiB) a burst from one client
     * overflows it before the server has run, and the kernel drops the rest. Where the option is
     * refused the default stays.
     */
    private static void absorbBursts(Socket server) {
        try {
            server.setOption(StandardSocketOptions.SO_RCVBUF, BURST_RCVBUF);
        } catch (SocketError | UnsupportedOperationException e) {
            // a provider without SO_RCVBUF: the queue it has
        }
    }

    /**
     * Each datagram back to its sender. The reply is sent without waiting: AF_UNIX datagrams are
     * flow-controlled, so a blocking sendto to a sender that never reads would stop the server for
     * everyone; such a reply is dropped and counted, and each run of drops reported once.
     */
    private static int serveDatagrams(Socket server, boolean verbose, PrintStream err) throws SocketError {
        boolean warned = false;
        long dropped = 0;
        boolean dropping = false;
        while (true) {
            Datagram d = server.recvFrom(DATAGRAM_BUFSIZE);
            String peer = d.address() == null ? "''" : Endpoints.format(d.address());
            if (verbose) {
                err.println("jsock: " + peer + ": " + d.data().length + " bytes");
            }
            if (d.address() == null || (d.address() instanceof UnixAddress u && u.isUnnamed())) {
                if (!warned) {
                    err.println("jsock: a datagram came from an unbound AF_UNIX socket: it cannot be answered");
                    warned = true;
                }
                continue;
            }
            try {
                server.sendTo(d.data(), MessageFlags.MSG_DONTWAIT, d.address());
                dropping = false;
            } catch (SocketError e) {
                if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOBUFS) {
                    dropped++;
                    if (!dropping) {
                        err.println("jsock: dropped the reply to " + peer + ": its receive queue is full (" + dropped
                                + (dropped == 1 ? " reply" : " replies") + " dropped so far)");
                        dropping = true;
                    }
                } else {
                    // one sender gone away must not stop the server for the others
                    err.println("jsock: " + UsageError.oneLine(e.getMessage()));
                }
            }
        }
    }
}
