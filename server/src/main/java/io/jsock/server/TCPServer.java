package io.jsock.server;

import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Python's {@code socketserver.TCPServer}: each connection to the address is a request, handed to the handler
 * with its {@code rfile} and {@code wfile} and closed (after {@code shutdown(SHUT_WR)}) when the handler
 * returns. Over AF_INET or AF_INET6, as the address is; {@code SO_REUSEADDR} is set before bind(2), as
 * Python's {@code allow_reuse_address}, so a restarted server gets its port back at once.
 */
public class TCPServer extends BaseServer {
    /**
     * Binds a TCP socket to {@code address} (an {@code InetSocketAddress}; port 0 picks one, which
     * {@link #serverAddress()} shows) and listens, as Python's constructor does.
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public TCPServer(SocketAddress address, RequestHandler handler, Threading threading) throws SocketError {
        super(Addresses.listening(Addresses.boundInet(address, SocketType.SOCK_STREAM, true)), handler, threading);
    }

    /**
     * A server on a socket the caller made and bound (Python's {@code bind_and_activate=False}
     * followed by its own {@code server_bind}): it listens with Python's arguments, and the socket may be {@code SOCK_STREAM} of either IP family. The server owns the socket from here on,
     * and closes it if this constructor fails.
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public TCPServer(Socket bound, RequestHandler handler, Threading threading) throws SocketError {
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
