package io.jsock.inet;

import io.jsock.Errno;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JDK's socket IOExceptions carry strerror(errno) as their message (its native code throws
 * them with the last error's text); the provider reads the errno back from it. These are the
 * messages JDK 17 produces on Linux for the failures a TCP socket meets.
 */
class ErrnoTranslationTest {

    static Stream<Arguments> jdkFailures() {
        return Stream.of(
                Arguments.of(new ConnectException("Connection refused"), Errno.ECONNREFUSED),
                Arguments.of(new ConnectException("Connection timed out"), Errno.ETIMEDOUT),
                Arguments.of(new ConnectException(null), Errno.ECONNREFUSED),
                Arguments.of(new BindException("Address already in use"), Errno.EADDRINUSE),
                Arguments.of(new BindException("Cannot assign requested address"), Errno.EADDRNOTAVAIL),
                Arguments.of(new BindException("Permission denied"), Errno.EACCES),
                Arguments.of(new NoRouteToHostException("No route to host"), Errno.EHOSTUNREACH),
                Arguments.of(new SocketException("Network is unreachable"), Errno.ENETUNREACH),
                Arguments.of(new SocketException("Connection reset"), Errno.ECONNRESET),      // sun.net.ConnectionResetException
                Arguments.of(new IOException("Connection reset by peer"), Errno.ECONNRESET),  // a write after a reset
                Arguments.of(new IOException("Broken pipe"), Errno.EPIPE),
                Arguments.of(new SocketException("Too many open files"), Errno.EMFILE),
                Arguments.of(new SocketException("Too many open files in system"), Errno.ENFILE),
                Arguments.of(new SocketException("Invalid argument"), Errno.EINVAL),
                Arguments.of(new SocketException("connect failed: Network is unreachable"), Errno.ENETUNREACH),
                Arguments.of(new IOException("NioSocketError"), Errno.EIO)); // the JDK's text when strerror has none
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("jdkFailures")
    void jdkMessageNamesTheErrno(IOException failure, Errno expected) {
        assertEquals(expected, InetStreamSocket.errnoOf(failure), "errno of " + failure);
    }
}
