package io.jsock;

import java.util.Objects;

/**
 * What {@link Sockets#getNameInfo} returns: Python's {@code (host, port)} pair of
 * {@code socket.getnameinfo}, the host and service buffers of getnameinfo(3); with getnameinfo's flags.
 *
 * @param host    the host's name, or its numeric address
 * @param service the service's name, or the port as a decimal number
 */
public record NameInfo(String host, String service) {
    /** {@code NI_NUMERICHOST}: the numeric address, no reverse lookup. */
    public static final int NI_NUMERICHOST = 1;
    /** {@code NI_NUMERICSERV}: the port as a number, not a service name. */
    public static final int NI_NUMERICSERV = 2;
    /** {@code NI_NOFQDN}: only the host part of a name in this host's domain. */
    public static final int NI_NOFQDN = 4;
    /** {@code NI_NAMEREQD}: fail with {@code EAI_NONAME} rather than give a numeric host. */
    public static final int NI_NAMEREQD = 8;
    /** {@code NI_DGRAM}: the service's name for UDP rather than TCP. */
    public static final int NI_DGRAM = 16;

    /** Checks that both parts are given. */
    public NameInfo {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(service, "service");
    }
}
