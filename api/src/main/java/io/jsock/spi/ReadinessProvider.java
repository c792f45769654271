package io.jsock.spi;

import io.jsock.SocketError;

/**
 * What {@link io.jsock.Selector} and {@link io.jsock.Sockets#select} wait in: a set of descriptors
 * watched for readiness. Found by {@link java.util.ServiceLoader} as a {@link SocketProvider} is
 * ({@code provides io.jsock.spi.ReadinessProvider with ...} in {@code module-info.java}, and
 * {@code META-INF/services/io.jsock.spi.ReadinessProvider}); jsock-core's is epoll(7). A transport
 * needs none of its own: its sockets take part through their descriptor ({@link io.jsock.Socket#fileno()}).
 */
public interface ReadinessProvider {
    /** A short name for messages: {@code "epoll"}. */
    String name();

    /** A new, empty set (epoll_create1(2), for epoll). */
    ReadinessSet open() throws SocketError;
}
