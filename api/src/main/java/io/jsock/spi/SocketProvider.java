package io.jsock.spi;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;

/**
 * A transport: opens sockets for the (family, type, protocol) triples it supports. Found by
 * {@link java.util.ServiceLoader}: register the implementation in {@code module-info.java}
 * ({@code provides io.jsock.spi.SocketProvider with ...}) and in
 * {@code META-INF/services/io.jsock.spi.SocketProvider}. It needs a public no-argument constructor.
 *
 * <p>Sockets a provider returns should extend {@link AbstractSocket}, which checks arguments and
 * closed state in one place and leaves the provider the system calls.
 */
public interface SocketProvider {

    /** A short name, unique among providers: {@code "inet"}, {@code "datagram"}, {@code "unix"}. */
    String name();

    /** Whether {@link #open} works for this triple; {@code proto} 0 means the family's default. */
    boolean supports(AddressFamily family, SocketType type, int proto);

    /** Higher wins among the providers that support a triple; 0 by default. */
    default int priority() {
        return 0;
    }

    /**
     * A new socket; socket(2).
     *
     * @throws SocketError {@link Errno#EAFNOSUPPORT}, {@link Errno#ESOCKTNOSUPPORT} or
     *                     {@link Errno#EPROTONOSUPPORT} for a triple this provider does not support
     */
    io.jsock.Socket open(AddressFamily family, SocketType type, int proto) throws SocketError;

    /**
     * Two connected sockets; socketpair(2). By default {@link Errno#EOPNOTSUPP}, as Linux answers
     * socketpair for families without it.
     */
    default SocketPair openPair(AddressFamily family, SocketType type) throws SocketError {
        throw SocketError.of(Errno.EOPNOTSUPP, "socketpair(" + family + ", " + type + ") with provider " + name());
    }

    /**
     * close(2) of a descriptor its owner hands back (one {@link io.jsock.Socket#detach()} gave):
     * what {@link io.jsock.Sockets#closeFd} calls. By default {@link Errno#EOPNOTSUPP}: a provider
     * that reaches the system overrides it.
     */
    default void closeDescriptor(int fd) throws SocketError {
        throw SocketError.of(Errno.EOPNOTSUPP, "close(" + fd + ") with provider " + name());
    }

    /**
     * A socket of this provider on an open descriptor: Python's {@code socket(fileno=fd)} (the
     * descriptor is adopted, {@code duplicate} false) or {@code fromfd} (a duplicate is made first,
     * close-on-exec, and {@code fd} stays the caller's). Family, type and protocol are read from the
     * kernel; a descriptor of a triple this provider does not take is {@link Errno#EAFNOSUPPORT}
     * (or {@code ESOCKTNOSUPPORT}, {@code EPROTONOSUPPORT}) and one that is no socket
     * {@link Errno#ENOTSOCK}, either way left as it was. By default {@link Errno#EOPNOTSUPP}.
     */
    default io.jsock.Socket adopt(int fd, boolean duplicate) throws SocketError {
        throw SocketError.of(Errno.EOPNOTSUPP, "adopting descriptor " + fd + " with provider " + name());
    }
}
