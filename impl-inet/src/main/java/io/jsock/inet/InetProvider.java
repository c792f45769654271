package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.spi.SocketProvider;

import java.util.Objects;

/**
 * jsock's TCP provider, named {@code "inet"}: {@code SOCK_STREAM} over {@code AF_INET} and
 * {@code AF_INET6} with protocol 0 or {@link Protocols#IPPROTO_TCP}, on JDK NIO
 * ({@link java.nio.channels.SocketChannel} and {@link java.nio.channels.ServerSocketChannel}).
 *
 * <p>Errors are Linux's, as CPython reports them on Linux, also where NIO by itself answers
 * differently: send on an unconnected socket is {@link Errno#EPIPE}; connect on a listener is
 * {@link Errno#EISCONN}; a refused connect leaves the socket usable (and bound, if it was); a
 * non-blocking connect goes {@code EINPROGRESS}, {@code EALREADY}..., then succeeds once (or
 * reports the refusal), then {@code EISCONN}; recv reports {@link Errno#ECONNRESET} once and the end
 * of the stream after it; {@code shutdown(SHUT_RD)} of a listener stops listening (a blocked accept
 * gets {@link Errno#EINVAL}) and {@code listen} resumes it.
 *
 * <p>{@link Socket#fileno()} reads the descriptor out of the JDK channel, which needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (class path) or
 * {@code --add-opens java.base/sun.nio.ch=io.jsock.inet} (module path); without it
 * {@code fileno()} throws {@link Errno#EOPNOTSUPP} naming that flag.
 *
 * <p>Where NIO does not let it match Linux:
 * <ul>
 *   <li>NIO has one channel type for connections and another for listening, so {@code listen}
 *       moves the socket to a new descriptor: {@code fileno()} changes at {@code listen} (the bound
 *       address and the options carry over, without the port ever being free);</li>
 *   <li>{@code listen(0)} gets a backlog of 1, since NIO reads 0 as "the default";</li>
 *   <li>a mode change ({@code setTimeout}, {@code setBlocking}) waits for a call blocked in
 *       blocking mode on another thread to end, because the JDK's {@code configureBlocking}
 *       takes the channel's read and write locks ({@code close} still ends that call at once);</li>
 *   <li>a reset is learnt from the call that reports it: until a recv or send has seen it,
 *       {@code getPeerName} still answers with the peer, where Linux already says ENOTCONN.</li>
 * </ul>
 */
public final class InetProvider implements SocketProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public InetProvider() {
    }

    @Override
    public String name() {
        return "inet";
    }

    @Override
    public boolean supports(AddressFamily family, SocketType type, int proto) {
        return isInet(family) && type == SocketType.SOCK_STREAM && isTcp(proto);
    }

    /**
     * A new TCP socket; socket(2). Errors as Linux gives them for this provider's family set:
     * {@link Errno#EAFNOSUPPORT} for a family other than AF_INET / AF_INET6,
     * {@link Errno#ESOCKTNOSUPPORT} for a type other than SOCK_STREAM,
     * {@link Errno#EPROTONOSUPPORT} for a protocol other than 0 / IPPROTO_TCP.
     */
    @Override
    public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        String call = "socket(" + family + ", " + type + ", " + proto + ")";
        if (!isInet(family)) {
            throw new SocketError(Errno.EAFNOSUPPORT, call + ": " + Errno.EAFNOSUPPORT.description()
                    + " (provider inet takes AF_INET and AF_INET6)");
        }
        if (type != SocketType.SOCK_STREAM) {
            throw new SocketError(Errno.ESOCKTNOSUPPORT, call + ": " + Errno.ESOCKTNOSUPPORT.description()
                    + " (provider inet takes SOCK_STREAM)");
        }
        if (!isTcp(proto)) {
            throw new SocketError(Errno.EPROTONOSUPPORT, call + ": " + Errno.EPROTONOSUPPORT.description()
                    + " (provider inet takes 0 and IPPROTO_TCP)");
        }
        return new InetStreamSocket(family, proto);
    }

    private static boolean isInet(AddressFamily family) {
        return family == AddressFamily.AF_INET || family == AddressFamily.AF_INET6;
    }

    private static boolean isTcp(int proto) {
        return proto == Protocols.DEFAULT || proto == Protocols.IPPROTO_TCP;
    }

    @Override
    public String toString() {
        return "InetProvider[inet: AF_INET/AF_INET6 SOCK_STREAM]";
    }
}
