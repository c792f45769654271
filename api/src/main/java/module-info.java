/**
 * jsock: the BSD socket interface of Python's {@code socket} module, for the JVM.
 *
 * <p>{@link io.jsock.Sockets} is the entry point; {@link io.jsock.spi.SocketProvider} is what a
 * transport implements, found with {@link java.util.ServiceLoader}.
 */
module io.jsock {
    exports io.jsock;
    exports io.jsock.spi;

    uses io.jsock.spi.SocketProvider;
    uses io.jsock.spi.ReadinessProvider;
}
