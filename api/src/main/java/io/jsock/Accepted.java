package io.jsock;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * What {@link Socket#accept()} returns: the new connection and its peer's address, as Python's
 * {@code (conn, address)} pair.
 *
 * @param socket  the connected socket; the caller owns it and closes it
 * @param address the peer's address (for AF_UNIX often {@linkplain UnixAddress#isUnnamed() unnamed})
 */
public record Accepted(Socket socket, SocketAddress address) {
    public Accepted {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(address, "address");
    }
}
