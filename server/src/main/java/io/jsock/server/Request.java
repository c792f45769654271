package io.jsock.server;

import io.jsock.Socket;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * One request, as a Python handler sees it: {@code self.request}, {@code self.client_address},
 * {@code self.server}, and the {@code rfile} and {@code wfile} of {@code StreamRequestHandler}
 * and {@code DatagramRequestHandler}.
 */
public interface Request {
    /** A stream server's connection, which the server closes when the handler returns; a datagram server's own socket. */
    Socket socket();

    /** The client's address: the peer of the connection, or the datagram's sender. */
    SocketAddress clientAddress();

    /** A datagram server's datagram (Python's {@code request[0]}); empty for a stream server. */
    byte[] data();

    /** The connection's bytes, buffered (Python's {@code rfile}); for a datagram, its bytes. */
    InputStream rfile();

    /**
     * Bytes to the client (Python's {@code wfile}): on a connection, sent as they are written; for a
     * datagram, gathered and sent back to the sender in one datagram when the handler returns, if
     * anything was written.
     */
    OutputStream wfile();

    /** The server that took the request. */
    BaseServer server();
}
