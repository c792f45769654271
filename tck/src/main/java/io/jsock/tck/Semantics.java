package io.jsock.tck;

import io.jsock.SocketType;

/**
 * What a socket type promises, which decides the contract groups a triple runs — never the
 * provider's name.
 */
public enum Semantics {
    /** Connection-oriented, reliable, ordered bytes without boundaries: SOCK_STREAM. */
    STREAM,
    /** Connectionless messages, boundaries kept, delivery not promised: SOCK_DGRAM. */
    DATAGRAM,
    /** Connection-oriented, reliable, ordered messages, boundaries kept: SOCK_SEQPACKET. */
    RELIABLE_MESSAGE;

    /** The semantics of a socket type, or {@code null} when the TCK has no contract for it (raw, RDM). */
    public static Semantics of(SocketType type) {
        switch (type) {
            case SOCK_STREAM:
                return STREAM;
            case SOCK_DGRAM:
                return DATAGRAM;
            case SOCK_SEQPACKET:
                return RELIABLE_MESSAGE;
            default:
                return null;
        }
    }

    /** Whether sockets of this semantics connect, listen and accept. */
    public boolean connectionOriented() {
        return this != DATAGRAM;
    }
}
