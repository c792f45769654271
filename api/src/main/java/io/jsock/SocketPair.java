package io.jsock;

import java.io.Closeable;
import java.util.Objects;

/**
 * Two sockets connected to each other, from {@link Sockets#socketPair()} (socketpair(2)).
 * Closing the pair closes both.
 *
 * @param first  one end
 * @param second the other end
 */
public record SocketPair(Socket first, Socket second) implements Closeable {
    public SocketPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    @Override
    public void close() {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
