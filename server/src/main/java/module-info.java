/**
 * Python's {@code socketserver} for jsock: TCP, UDP and AF_UNIX servers that wait in a
 * {@link io.jsock.Selector} and hand each request to a {@link io.jsock.server.RequestHandler},
 * one at a time, on a platform thread each, or on a virtual thread each (Java 21 and later).
 */
module io.jsock.server {
    requires transitive io.jsock;

    exports io.jsock.server;
}
