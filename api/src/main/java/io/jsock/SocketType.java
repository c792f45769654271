package io.jsock;

/**
 * Socket types, numbered as on Linux ({@code SOCK_STREAM} 1 to {@code SOCK_SEQPACKET} 5).
 */
public enum SocketType {
    /** Reliable, ordered, connection-based byte stream (TCP, AF_UNIX stream). */
    SOCK_STREAM(1),
    /** Connectionless messages of bounded length, boundaries kept (UDP, AF_UNIX datagram). */
    SOCK_DGRAM(2),
    /** Raw protocol access. */
    SOCK_RAW(3),
    /** Reliably delivered messages. */
    SOCK_RDM(4),
    /** Reliable, ordered, connection-based messages, boundaries kept. */
    SOCK_SEQPACKET(5);

    private final int value;

    SocketType(int value) {
        this.value = value;
    }

    /** The Linux number. */
    public int value() {
        return value;
    }

    /** The type with the given Linux number, or {@code null} if jsock knows none. */
    public static SocketType ofOrNull(int value) {
        for (SocketType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        return null;
    }

    /**
     * The type with the given Linux number.
     *
     * @throws IllegalArgumentException if no type has that number
     */
    public static SocketType of(int value) {
        for (SocketType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        throw new IllegalArgumentException("type: no socket type has the number " + value);
    }
}
