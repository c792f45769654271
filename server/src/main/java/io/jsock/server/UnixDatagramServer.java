package io.jsock.server;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;

import java.net.SocketAddress;

/**
 * Python's {@code socketserver.UnixDatagramServer}: {@link UDPServer} over an AF_UNIX socket file or
 * abstract name. A reply to a sender whose receive queue is full (AF_UNIX datagrams are
 * flow-controlled) is never waited for: it is reported through {@link #handleError} with EAGAIN, so
 * one client that never reads cannot stop the server for the others. A sender with no address
 * (an unbound socket) cannot be answered: a reply to it is reported with EDESTADDRREQ.
 */
public class UnixDatagramServer extends BaseServer {
    /**
     * Binds an AF_UNIX datagram socket to {@code address} (a {@code UnixAddress} or
     * {@code UnixDomainSocketAddress}).
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public UnixDatagramServer(SocketAddress address, RequestHandler handler, Threading threading) throws SocketError {
        super(Addresses.bound(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, Addresses.unix(address), false), handler, threading);
    }

    /**
     * A server on a socket the caller made and bound (Python's {@code bind_and_activate=False}
     * followed by its own {@code server_bind}): the socket must be {@code SOCK_DGRAM}. The server owns the socket from here on,
     * and closes it if this constructor fails.
     *
     * @throws UnsupportedOperationException {@link Threading#VIRTUAL} before Java 21
     */
    public UnixDatagramServer(Socket bound, RequestHandler handler, Threading threading) throws SocketError {
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
