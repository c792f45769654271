package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The socket file a server binds: a stale one (left by {@code kill -9}) is replaced, and the one
 * the server made is removed when it stops, by SIGTERM or SIGINT too, but only if it is still that
 * very file: the device and inode are compared before unlinking, so a file put at the path
 * meanwhile stays.
 */
final class SocketFiles {
    /** The pause between the two probes of a socket file before it is taken for stale, as {@link Sockets#createServer} waits. */
    private static final long STALE_PROBE_PAUSE_MILLIS = 100;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {
    }

    /** A file by device and inode: what {@code stat(2)} says tells one file from another at the same path. */
    record Identity(Object device, Object inode) {
    }

    /** The identity of the file at the path (not following a link), or null when there is none. */
    static Identity identity(Path path) {
        try {
            return new Identity(Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS),
                    Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException gone) {
            return null;
        }
    }

    /**
     * Binds {@code socket} to {@code address}; if the path is taken by a stale socket file, by the
     * rule of {@link Sockets#createServer} (two connect probes 100 ms apart both refused, and the
     * same inode before the unlink), removes it and binds again. A live socket, a regular file, a
     * directory: {@link Errno#EADDRINUSE} as bind(2) says, and the file is left as it is.
     *
     * @return the identity of the socket file the bind made, or null for an abstract name
     */
    static Identity bind(Socket socket, UnixAddress address) throws SocketError {
        try {
            socket.bind(address);
        } catch (SocketError e) {
            if (e.errno() != Errno.EADDRINUSE || address.isAbstract() || address.isUnnamed() || !removeIfStale(address)) {
                throw e;
            }
            socket.bind(address);
        }
        return address.isAbstract() || address.isUnnamed() ? null : identity(address.path());
    }

    private static boolean removeIfStale(UnixAddress address) throws SocketError {
        Path path = address.path();
        Identity before;
        try {
            int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
            if ((mode & S_IFMT) != S_IFSOCK) {
                return false;
            }
            before = identity(path);
        } catch (IOException | UnsupportedOperationException notASocketFile) {
            return false;
        }
        // a server between its bind(2) and listen(2) refuses too: ask again after it had time to listen
        if (before == null || !refuses(address)) {
            return false;
        }
        try {
            Thread.sleep(STALE_PROBE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!refuses(address) || !before.equals(identity(path))) {
            return false;
        }
        try {
            Files.delete(path);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a connect(2) to the path is refused: a listener, a full backlog, a datagram socket are alive. */
    private static boolean refuses(UnixAddress address) throws SocketError {
        try (Socket probe = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM)) {
            probe.setBlocking(false);
            return probe.connectEx(address) == Errno.ECONNREFUSED.code();
        }
    }

    /**
     * Removes the socket file at {@code address} when the JVM stops (normally, or on SIGTERM or
     * SIGINT) or when {@link Owned#close()} is called, whichever comes first, if it is still the
     * file {@code identity} names.
     */
    static Owned own(UnixAddress address, Identity identity, PrintStream err) {
        return new Owned(address, identity, err);
    }

    /** A socket file this process made, and the shutdown hook that removes it. */
    static final class Owned implements AutoCloseable {
        private final Path path;
        private final Identity identity;
        private final PrintStream err;
        private final Thread hook;
        private boolean removed;

        private Owned(UnixAddress address, Identity identity, PrintStream err) {
            this.path = address == null || identity == null ? null : address.path();
            this.identity = identity;
            this.err = err;
            this.hook = path == null ? null : new Thread(this::remove, "jsock: remove " + path);
            if (hook != null) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
        }

        private synchronized void remove() {
            if (removed || path == null) {
                return;
            }
            removed = true;
            if (!identity.equals(identity(path))) {
                return; // another file took the path: it is not ours to remove
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                err.println("jsock: cannot remove " + UsageError.quote(path.toString()) + ": " + e.getMessage());
            }
        }

        /** Removes the file now, if it is still ours, and the hook with it. */
        @Override
        public void close() {
            remove();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs or ran: it found the file removed
                }
            }
        }
    }
}
