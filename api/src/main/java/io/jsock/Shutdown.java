package io.jsock;

/** What {@link Socket#shutdown(Shutdown)} shuts: the arguments of shutdown(2). */
public enum Shutdown {
    /** No more receptions. */
    SHUT_RD,
    /** No more transmissions; a stream peer then reads the end of the stream. */
    SHUT_WR,
    /** Both. */
    SHUT_RDWR;

    /** The Linux number: 0, 1 or 2. */
    public int value() {
        return ordinal();
    }
}
