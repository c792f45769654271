package io.jsock.server;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;

import java.net.SocketAddress;

/**
 * Python's {@code socketserver.UnixStreamServer}: {@link TCPServer} over an AF_UNIX socket file or
 * abstract name. The socket file stays when the server closes, as in Python: remove it, or bind
 * with {@link Sockets#createServer}'s rule for stale files.
 */
public class UnixStreamServer extends BaseServer {
    /**
     * Binds an AF_UNIX stream socket to {@code address} (a {@code UnixAddress} or
     * {@code UnixDomainSocketAddress}) and listens, as Python's constructor does.
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public UnixStreamServer(SocketAddress address, RequestHandler handler, Threading threading) throws SocketError {
        super(Addresses.listening(Addresses.bound(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, Addresses.unix(address), false)), handler, threading);
    }

    /**
     * A server on a socket the caller made and bound (Python's {@code bind_and_activate=False}
     * followed by its own {@code server_bind}): it listens; the socket may be {@code SOCK_STREAM} or {@code SOCK_SEQPACKET}. The server owns the socket from here on,
     * and closes it if this constructor fails.
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public UnixStreamServer(Socket bound, RequestHandler handler, Threading threading) throws SocketError {
        super(Addresses.listening(bound), handler, threading);
    }

    @Override
    Request getRequest() throws SocketError {
        return Streams.accept(socket(), this);
    }

    @Override
    void finishRequest(Request request) throws Exception {
        Streams.finish(request);
    }

    @Override
    void shutdownRequest(Request request) {
        Streams.end(request);
    }
}
