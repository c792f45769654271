package io.jsock.tck;

import io.jsock.AddressFamily;
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
    RELIABLE_MESSAGE,
    /** Packets with the headers of a lower layer, seen as the kernel passes them: SOCK_RAW, and every AF_PACKET socket. */
    RAW;

    /** The semantics of a socket type, or {@code null} when the TCK has no contract for it (RDM). */
    public static Semantics of(SocketType type) {
        switch (type) {
            case SOCK_STREAM:
                return STREAM;
            case SOCK_DGRAM:
                return DATAGRAM;
            case SOCK_SEQPACKET:
                return RELIABLE_MESSAGE;
            case SOCK_RAW:
                return RAW;
            default:
                return null;
        }
    }

    /** The semantics of a triple's family and type: an AF_PACKET socket is raw whatever its type, else {@link #of(SocketType)}. */
    public static Semantics of(AddressFamily family, SocketType type) {
        if (family == AddressFamily.AF_PACKET) {
            return type == SocketType.SOCK_RAW || type == SocketType.SOCK_DGRAM ? RAW : null;
        }
        return of(type);
    }

    /** Whether sockets of this semantics connect, listen and accept. */
    public boolean connectionOriented() {
        return this == STREAM || this == RELIABLE_MESSAGE;
    }
}
