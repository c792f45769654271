package io.jsock.example.seqpacket;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.spi.SocketProvider;

import java.util.Locale;

/**
 * A third-party jsock provider: AF_UNIX {@code SOCK_SEQPACKET} on Linux — connection-oriented,
 * reliable, ordered, and message boundaries kept — through direct system calls made with jnr-ffi.
 * It uses nothing of jsock but the public API and SPI. Found by {@link java.util.ServiceLoader}
 * under the name {@code "seqpacket"}.
 */
public final class SeqpacketProvider implements SocketProvider {
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

    /** The provider; ServiceLoader calls this. */
    public SeqpacketProvider() {
    }

    @Override
    public String name() {
        return "seqpacket";
    }

    /**
     * -1: jsock's own {@code unix} provider claims AF_UNIX SOCK_SEQPACKET too, and with both installed
     * it should win without a tie; {@code -Djsock.provider=seqpacket} picks this one.
     */
    @Override
    public int priority() {
        return -1;
    }

    /** AF_UNIX, SOCK_SEQPACKET, protocol 0 — on Linux only. */
    @Override
    public boolean supports(AddressFamily family, SocketType type, int proto) {
        return LINUX && family == AddressFamily.AF_UNIX && type == SocketType.SOCK_SEQPACKET && proto == Protocols.DEFAULT;
    }

    /** socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); see {@link SeqpacketSocket} for why non-blocking. */
    @Override
    public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
        check(family, type, proto, "socket");
        int fd = Sys.libc().socket(Sys.AF_UNIX, Sys.SOCK_SEQPACKET | Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Sys.lastError("socket(AF_UNIX, SOCK_SEQPACKET, 0)");
        }
        return SeqpacketSocket.wrap(fd);
    }

    /** socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0). */
    @Override
    public SocketPair openPair(AddressFamily family, SocketType type) throws SocketError {
        check(family, type, Protocols.DEFAULT, "socketpair");
        int[] fds = new int[2];
        if (Sys.libc().socketpair(Sys.AF_UNIX, Sys.SOCK_SEQPACKET | Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC, 0, fds) < 0) {
            throw Sys.lastError("socketpair(AF_UNIX, SOCK_SEQPACKET)");
        }
        return new SocketPair(SeqpacketSocket.wrap(fds[0]), SeqpacketSocket.wrap(fds[1]));
    }

    private void check(AddressFamily family, SocketType type, int proto, String call) throws SocketError {
        String what = call + "(" + family + ", " + type + ", " + proto + ") with provider " + name();
        if (!LINUX) {
            throw SocketError.of(Errno.EAFNOSUPPORT, what + " (Linux only)");
        }
        if (family != AddressFamily.AF_UNIX) {
            throw SocketError.of(Errno.EAFNOSUPPORT, what);
        }
        if (type != SocketType.SOCK_SEQPACKET) {
            throw SocketError.of(Errno.ESOCKTNOSUPPORT, what);
        }
        if (proto != Protocols.DEFAULT) {
            throw SocketError.of(Errno.EPROTONOSUPPORT, what);
        }
    }

    @Override
    public String toString() {
        return "SeqpacketProvider[seqpacket: AF_UNIX SOCK_SEQPACKET via jnr-ffi]";
    }
}
