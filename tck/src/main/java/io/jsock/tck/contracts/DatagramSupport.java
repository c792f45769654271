package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.TckTarget;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

/** What the datagram groups share: bounded waits, payloads, and the families' size limits. */
final class DatagramSupport {
    /** The longest any datagram case waits for one datagram. */
    static final Duration LIMIT = Duration.ofSeconds(10);
    /** How promptly a blocked call must end after close() or an interrupt. */
    static final Duration PROMPT = Duration.ofSeconds(2);

    private DatagramSupport() {
    }

    /** Two bound sockets with {@link #LIMIT} as their timeout, so no receive in a case waits forever. */
    static Socket[] boundPair(TckTarget t) throws SocketError {
        Socket a = t.bound();
        Socket b = t.bound();
        a.setTimeout(LIMIT);
        b.setTimeout(LIMIT);
        return new Socket[] {a, b};
    }

    /** A connected pair with {@link #LIMIT} as the timeout of both sides. */
    static TckTarget.Connection connected(TckTarget t) throws SocketError {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
        return c;
    }

    /**
     * The largest UDP payload: 65535 minus the 8-byte UDP header minus, for IPv4, the 20-byte IP
     * header (the IPv6 header is not counted in its payload length).
     */
    static int maxUdpPayload(AddressFamily family) {
        return family == AddressFamily.AF_INET6 ? 65_527 : 65_507;
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
