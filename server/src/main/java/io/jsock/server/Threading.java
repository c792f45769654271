package io.jsock.server;

/** Where a server runs its handlers. */
public enum Threading {
    /** In the thread that serves, one request at a time: Python's plain servers. */
    NONE,
    /** A new platform thread per request: Python's {@code ThreadingMixIn}. */
    PLATFORM,
    /** A new virtual thread per request (Java 21 and later; a server refuses it on Java 17 to 20). */
    VIRTUAL
}
