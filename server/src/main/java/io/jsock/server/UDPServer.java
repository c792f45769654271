package io.jsock.server;

import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Python's {@code socketserver.UDPServer}: each datagram is a request; what the handler writes to
 * {@code wfile} goes back to the sender in one datagram when it returns. Datagrams up to 65,536
 * bytes are taken whole (Python's {@code max_packet_size} is 8192). No {@code SO_REUSEADDR}, as in
 * Python. A reply is sent without waiting: one that cannot go at once is reported through
 * {@link #handleError} with EAGAIN, and the server goes on.
 */
public class UDPServer extends BaseServer {
    /**
     * Binds a UDP socket to {@code address} (an {@code InetSocketAddress}; port 0 picks one).
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public UDPServer(SocketAddress address, RequestHandler handler, Threading threading) throws SocketError {
        super(Addresses.boundInet(address, SocketType.SOCK_DGRAM, false), handler, threading);
    }

    /**
     * A server on a socket the caller made and bound (Python's {@code bind_and_activate=False}
     * followed by its own {@code server_bind}): the socket must be {@code SOCK_DGRAM}. The server owns the socket from here on,
     * and closes it if this constructor fails.
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public UDPServer(Socket bound, RequestHandler handler, Threading threading) throws SocketError {
        super(Addresses.datagrams(bound), handler, threading);
    }

    @Override
    Request getRequest() throws SocketError {
        return Datagrams.receive(socket(), this);
    }

    @Override
    void finishRequest(Request request) throws Exception {
        Datagrams.finish(request);
    }

    @Override
    void shutdownRequest(Request request) {
        // a datagram leaves nothing to close: the socket is the server's
    }
}
