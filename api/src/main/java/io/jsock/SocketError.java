package io.jsock;

import java.net.SocketException;
import java.util.Objects;

/**
 * An operating-system failure of a socket call, with its {@link Errno} — Python's {@code OSError}.
 *
 * <p>The message names the operation and, where there is one, the address, then what the
 * error means: {@code connect 127.0.0.1:6254: Connection refused}.
 */
public class SocketError extends SocketException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    /**
     * @param errno   what the system reported
     * @param message the operation, the address where there is one, and what went wrong
     */
    public SocketError(Errno errno, String message) {
        super(message);
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    /**
     * @param errno   what the system reported
     * @param message the operation, the address where there is one, and what went wrong
     * @param cause   the backend's exception this error translates
     */
    @SuppressWarnings("this-escape") // initCause: SocketException takes no cause in its constructor before Java 19
    public SocketError(Errno errno, String message, Throwable cause) {
        this(errno, message);
        initCause(cause);
    }

    /**
     * An error whose message is {@code operation + ": " + errno.description()}.
     *
     * @param errno     what the system reported
     * @param operation the call and its address, for example {@code "connect 127.0.0.1:6254"}
     */
    public static SocketError of(Errno errno, String operation) {
        return new SocketError(errno, operation + ": " + errno.description());
    }

    /** The error number, as {@code OSError.errno}. */
    public Errno errno() {
        return errno;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": [Errno " + errno.code() + " " + errno.name() + "] " + getMessage();
    }
}
