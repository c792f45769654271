package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code jsock echo FAMILY TYPE ADDRESS}: an echo server that runs until killed, or until the
 * thread running it is interrupted (then it closes every socket and returns 0).
 */
final class EchoCommand {
    /** Larger than any datagram: the largest UDP payload is 65507 bytes. */
    private static final int DATAGRAM_BUFSIZE = 65_536;
    private static final int STREAM_BUFSIZE = 64 * 1024;
    private static final int BACKLOG = 128;

    private EchoCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageError, SocketError {
        Args.Target target = Args.parse(argv, Set.of()).target("echo");
        SocketAddress address = Endpoints.resolve(target.address(), target.family(), target.type());
        try (Socket server = Sockets.socket(target.family(), target.type())) {
            if (target.family() != AddressFamily.AF_UNIX && target.type() == SocketType.SOCK_STREAM) {
                // as Python's create_server: a restarted server gets its port back at once
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            server.bind(address);
            deleteOnExit(address);
            try {
                if (target.type() == SocketType.SOCK_STREAM) {
                    server.listen(BACKLOG);
                }
                out.println("listening on " + Endpoints.format(server.getSockName()));
                out.flush();
                return target.type() == SocketType.SOCK_STREAM ? serveStreams(server, err) : serveDatagrams(server, err);
            } finally {
                deleteNow(address, err);
            }
        } catch (SocketError e) {
            if (Thread.currentThread().isInterrupted()) {
                return 0;
            }
            throw e;
        }
    }

    private static int serveStreams(Socket server, PrintStream err) throws SocketError {
        Set<Socket> open = ConcurrentHashMap.newKeySet();
        try {
            while (true) {
                io.jsock.Accepted accepted;
                try {
                    accepted = server.accept();
                } catch (SocketError e) {
                    if (e.errno() == Errno.ECONNABORTED) {
                        continue; // the client gave up before accept: nothing to serve
                    }
                    throw e;
                }
                Socket connection = accepted.socket();
                open.add(connection);
                String peer = Endpoints.format(accepted.address());
                Thread t = new Thread(() -> {
                    try {
                        echo(connection);
                    } catch (SocketError e) {
                        if (!connection.isClosed()) {
                            err.println("jsock: " + peer + ": " + e.getMessage());
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

    /** A connection's bytes back to it until it ends the stream. */
    private static void echo(Socket connection) throws SocketError {
        ByteBuffer buffer = ByteBuffer.allocate(STREAM_BUFSIZE);
        while (connection.recvInto(buffer.clear()) > 0) {
            connection.sendAll(buffer.flip());
        }
    }

    private static int serveDatagrams(Socket server, PrintStream err) throws SocketError {
        boolean warned = false;
        while (true) {
            Datagram d = server.recvFrom(DATAGRAM_BUFSIZE);
            if (d.address() == null || (d.address() instanceof UnixAddress u && u.isUnnamed())) {
                if (!warned) {
                    err.println("jsock: a datagram came from an unbound AF_UNIX socket: it cannot be answered");
                    warned = true;
                }
                continue;
            }
            try {
                server.sendTo(d.data(), d.address());
            } catch (SocketError e) {
                // one sender gone away must not stop the server for the others
                err.println("jsock: " + e.getMessage());
            }
        }
    }

    /** The socket file goes when the JVM ends normally or on SIGTERM/SIGINT. */
    private static void deleteOnExit(SocketAddress address) {
        if (address instanceof UnixAddress u && !u.isAbstract() && !u.isUnnamed()) {
            u.path().toFile().deleteOnExit();
        }
    }

    private static void deleteNow(SocketAddress address, PrintStream err) {
        if (address instanceof UnixAddress u && !u.isAbstract() && !u.isUnnamed()) {
            try {
                java.nio.file.Files.deleteIfExists(u.path());
            } catch (java.io.IOException e) {
                err.println("jsock: cannot remove " + u.path() + ": " + e.getMessage());
            }
        }
    }
}
