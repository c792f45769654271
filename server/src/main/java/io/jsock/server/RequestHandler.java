package io.jsock.server;

/**
 * What a server does with each request: Python's {@code BaseRequestHandler.handle}. Whatever it
 * throws is reported through {@link BaseServer#handleError} and the server goes on.
 */
@FunctionalInterface
public interface RequestHandler {
    /** Handles one request: a connection of a stream server, a datagram of a datagram server. */
    void handle(Request request) throws Exception;
}
