package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import io.jsock.server.BaseServer;
import io.jsock.server.Request;
import io.jsock.server.RequestHandler;
import io.jsock.server.TCPServer;
import io.jsock.server.Threading;
import io.jsock.server.UDPServer;
import io.jsock.server.UnixDatagramServer;
import io.jsock.server.UnixStreamServer;

import java.io.PrintStream;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code jsock echo [-v] FAMILY TYPE ADDRESS}: an echo server on the {@code server} module that runs
 * until killed, or until the thread running it is interrupted (then it closes every socket and
 * returns 0). Connections run on virtual threads on Java 21 and later, so idle ones hold no platform
 * thread; datagrams are answered one by one in the serving thread.
 */
final class EchoCommand {
    /** Larger than any datagram: the largest UDP payload is 65507 bytes. */
    private static final int DATAGRAM_BUFSIZE = 65_536;
    private static final int STREAM_BUFSIZE = 64 * 1024;
    /** What a datagram server asks for its receive queue; Linux caps it at net.core.rmem_max. */
    private static final int BURST_RCVBUF = 16 << 20;
    /** Larger than a SOCK_SEQPACKET message can be with Linux's default send buffer, so none is cut. */
    private static final int MESSAGE_BUFSIZE = 256 * 1024;
    /** accept(2) errors that say the process or the system is out of something that frees up again. */
    private static final Set<Errno> EXHAUSTED = EnumSet.of(Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM);

    static final Args.Spec OPTIONS = new Args.Spec().flag("--verbose", "-v");

    private EchoCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageError, SocketError {
        Args args = Args.parse(argv, OPTIONS);
        Args.Target target = args.target("echo");
        boolean verbose = args.flag("--verbose");
        boolean connections = Endpoints.connectionOriented(target.type());
        SocketAddress address = Endpoints.resolve(target.address(), target.family(), target.type());
        Socket socket = Sockets.socket(target.family(), target.type());
        try {
            SocketFiles.Owned file;
            if (address instanceof UnixAddress unix) {
                // a stale socket file (its server was killed) is replaced, a live one or another file never
                file = SocketFiles.own(unix, SocketFiles.bind(socket, unix), err);
            } else {
                if (target.family() != AddressFamily.AF_UNIX && connections) {
                    // as Python's create_server: a restarted server gets its port back at once
                    socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                }
                socket.bind(address);
                file = SocketFiles.own(null, null, err);
            }
            try (SocketFiles.Owned owned = file) {
                if (connections) {
                    Connections echo = new Connections(socket, target.type(), verbose, err);
                    return serve(echo, echo.server, out);
                }
                Datagrams echo = new Datagrams(socket, verbose, err);
                return serve(echo, echo.server, out);
            }
        } catch (SocketError e) {
            if (Thread.currentThread().isInterrupted()) {
                return 0;
            }
            throw e;
        } finally {
            socket.close();
        }
    }

    /** Prints the address and serves until killed or interrupted; then closes everything and returns 0. */
    private static int serve(AutoCloseable echo, BaseServer server, PrintStream out) throws SocketError {
        try {
            out.println("listening on " + Endpoints.format(server.serverAddress()));
            out.flush();
            server.serveForever(null);
            return 0;
        } finally {
            try {
                echo.close();
            } catch (Exception impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /**
     * Streams and seqpacket: each connection in a thread of its own, a virtual one on Java 21 and
     * later (so idle connections hold no platform thread), a platform one before.
     */
    private static final class Connections implements RequestHandler, AutoCloseable {
        final BaseServer server;
        private final int bufsize;
        private final boolean verbose;
        private final PrintStream err;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile boolean exhausted;

        Connections(Socket bound, SocketType type, boolean verbose, PrintStream err) throws SocketError {
            this.bufsize = type == SocketType.SOCK_STREAM ? STREAM_BUFSIZE : MESSAGE_BUFSIZE;
            this.verbose = verbose;
            this.err = err;
            Threading threading = Runtime.version().feature() >= 21 ? Threading.VIRTUAL : Threading.PLATFORM;
            this.server = bound.family() == AddressFamily.AF_UNIX
                    ? new UnixStreamServer(bound, this, threading) {
                        @Override
                        protected boolean verifyRequest(Request request) {
                            return accepted(request);
                        }

                        @Override
                        protected void handleError(Request request, Throwable error) {
                            failed(request, error);
                        }
                    }
                    : new TCPServer(bound, this, threading) {
                        @Override
                        protected boolean verifyRequest(Request request) {
                            return accepted(request);
                        }

                        @Override
                        protected void handleError(Request request, Throwable error) {
                            failed(request, error);
                        }
                    };
        }

        boolean accepted(Request request) {
            if (exhausted && verbose) {
                err.println("jsock: accepting again");
            }
            exhausted = false;
            if (verbose) {
                err.println("jsock: accepted " + Endpoints.format(request.clientAddress()));
            }
            return true;
        }

        void failed(Request request, Throwable error) {
            if (request == null) {
                if (error instanceof SocketError e && EXHAUSTED.contains(e.errno())) {
                    // out of descriptors: the connections wait in the backlog while those open end
                    exhausted = true;
                    err.println("jsock: " + UsageError.oneLine(e.getMessage()) + "; accepting again as soon as it can");
                } else {
                    err.println("jsock: " + UsageError.oneLine(String.valueOf(error.getMessage())));
                }
            } else if (!request.socket().isClosed()) {
                err.println("jsock: " + Endpoints.format(request.clientAddress()) + ": " + UsageError.oneLine(String.valueOf(error.getMessage())));
            }
            err.flush();
        }

        /** A connection's bytes (or messages, one by one) back to it until it ends. */
        @Override
        public void handle(Request request) throws SocketError {
            Socket connection = request.socket();
            open.add(connection);
            try {
                ByteBuffer buffer = ByteBuffer.allocate(bufsize);
                long total = 0;
                int n;
                while ((n = connection.recvInto(buffer.clear())) > 0) {
                    connection.sendAll(buffer.flip());
                    total += n;
                }
                if (verbose) {
                    err.println("jsock: " + Endpoints.format(request.clientAddress()) + " ended after " + total + " bytes");
                }
            } finally {
                open.remove(connection);
            }
        }

        /** Closes every connection, which ends its handler, then the server, which waits for them. */
        @Override
        public void close() {
            for (Socket s : open) {
                s.close();
            }
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
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
     * Each datagram back to its sender. The reply is sent without waiting (the server's socket is
     * non-blocking): AF_UNIX datagrams are flow-controlled, so a blocking sendto to a sender that
     * never reads would stop the server for everyone; such a reply is dropped and counted, and each
     * run of drops reported once.
     */
    private static final class Datagrams implements RequestHandler, AutoCloseable {
        final BaseServer server;
        private final boolean verbose;
        private final PrintStream err;
        private boolean warned;
        private long dropped;
        private boolean dropping;

        Datagrams(Socket bound, boolean verbose, PrintStream err) throws SocketError {
            absorbBursts(bound);
            this.verbose = verbose;
            this.err = err;
            this.server = bound.family() == AddressFamily.AF_UNIX
                    ? new UnixDatagramServer(bound, this, Threading.NONE) {
                        @Override
                        protected void handleError(Request request, Throwable error) {
                            err.println("jsock: " + UsageError.oneLine(String.valueOf(error.getMessage())));
                        }
                    }
                    : new UDPServer(bound, this, Threading.NONE) {
                        @Override
                        protected void handleError(Request request, Throwable error) {
                            err.println("jsock: " + UsageError.oneLine(String.valueOf(error.getMessage())));
                        }
                    };
        }

        /** A sender as messages name it; made only for a message, not for every datagram. */
        private static String peer(SocketAddress from) {
            return from == null ? "''" : Endpoints.format(from);
        }

        @Override
        public void handle(Request request) {
            SocketAddress from = request.clientAddress();
            byte[] data = request.data();
            if (verbose) {
                err.println("jsock: " + peer(from) + ": " + data.length + " bytes");
            }
            if (from == null || (from instanceof UnixAddress u && u.isUnnamed())) {
                if (!warned) {
                    err.println("jsock: a datagram came from an unbound AF_UNIX socket: it cannot be answered");
                    warned = true;
                }
                return;
            }
            try {
                request.socket().sendTo(data, from);
                dropping = false;
            } catch (SocketError e) {
                if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOBUFS) {
                    dropped++;
                    if (!dropping) {
                        err.println("jsock: dropped the reply to " + peer(from) + ": its receive queue is full (" + dropped
                                + (dropped == 1 ? " reply" : " replies") + " dropped so far)");
                        dropping = true;
                    }
                } else {
                    // one sender gone away must not stop the server for the others
                    err.println("jsock: " + UsageError.oneLine(e.getMessage()));
                }
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
