package io.jsock;

/**
 * A socket's timeout ran out before the call could complete — Python's {@code socket.timeout}
 * ({@code TimeoutError}). Its errno is {@link Errno#ETIMEDOUT}. The socket stays usable: nothing
 * was transferred by the call that timed out, except that {@code sendAll} may have sent a prefix
 * (see {@link Socket#sendAll(byte[])}).
 */
public class SocketTimeoutError extends SocketError {
    private static final long serialVersionUID = 1L;

    /** @param operation the call that timed out, for example {@code "recv"} or {@code "connect 127.0.0.1:80"} */
    public SocketTimeoutError(String operation) {
        super(Errno.ETIMEDOUT, operation + ": timed out");
    }
}
