package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** {@code jsock cat [--wait SECONDS] FAMILY TYPE ADDRESS}: stdin to the socket, the socket to stdout. */
final class CatCommand {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);
    private static final int CHUNK = 64 * 1024;
    private static final int DATAGRAM_BUFSIZE = 65_536;
    /** How often the datagram loop looks whether stdin has ended. */
    private static final Duration POLL = Duration.ofMillis(100);

    private CatCommand() {
    }

    static int run(List<String> argv, InputStream in, PrintStream out, PrintStream err) throws UsageError, SocketError, IOException {
        Args args = Args.parse(argv, Set.of("--wait"));
        Duration wait = waitOption(args.single("--wait"));
        Args.Target target = args.target("cat");
        SocketAddress address = Endpoints.resolve(target.address(), target.family(), target.type());
        if (target.type() == SocketType.SOCK_STREAM) {
            return stream(target.family(), address, in, out);
        }
        return datagrams(target.family(), address, wait, in, out);
    }

    static Duration waitOption(String value) throws UsageError {
        if (value == null) {
            return DEFAULT_WAIT;
        }
        try {
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(86_400)) > 0) {
                throw UsageError.bad("--wait", value, "expected seconds from 0 to 86400");
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            throw UsageError.bad("--wait", value, "expected a number of seconds, as 1 or 0.5");
        }
    }

    // ---- streams --------------------------------------------------------------------------

    private static int stream(AddressFamily family, SocketAddress address, InputStream in, PrintStream out) throws SocketError, IOException {
        try (Socket s = Sockets.socket(family, SocketType.SOCK_STREAM)) {
            s.connect(address);
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    byte[] chunk = new byte[CHUNK];
                    int n;
                    while ((n = in.read(chunk)) > 0) {
                        s.sendAll(n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
                    }
                    s.shutdown(Shutdown.SHUT_WR);
                } catch (IOException e) {
                    sendFailure.set(e);
                }
            }, "jsock cat stdin");
            sender.setDaemon(true); // the peer may end the stream while stdin is still open
            sender.start();
            while (true) {
                byte[] received = s.recv(CHUNK);
                if (received.length == 0) {
                    break;
                }
                out.write(received);
                if (out.checkError()) {
                    throw new IOException("stdout: cannot write (closed?)");
                }
            }
            Exception failed = sendFailure.get();
            if (failed != null && !peerIsGone(failed)) {
                throw failed instanceof SocketError se ? se : new IOException("stdin: " + failed.getMessage(), failed);
            }
            return 0;
        }
    }

    /** A send that failed because the peer closed first: the end of stream says it all. */
    private static boolean peerIsGone(Exception e) {
        return e instanceof SocketError se && (se.errno() == Errno.EPIPE || se.errno() == Errno.ECONNRESET);
    }

    // ---- datagrams ------------------------------------------------------------------------

    private static int datagrams(AddressFamily family, SocketAddress address, Duration wait, InputStream in, PrintStream out)
            throws SocketError, IOException {
        Path ownDir = null;
        try (Socket s = Sockets.socket(family, SocketType.SOCK_DGRAM)) {
            if (family == AddressFamily.AF_UNIX) {
                // an unbound AF_UNIX datagram socket cannot be answered: give it a name of its own
                ownDir = Files.createTempDirectory("jsock-cat");
                s.bind(UnixAddress.of(ownDir.resolve("s")));
            }
            s.connect(address);
            LineSender lines = new LineSender(s, in);
            Thread sender = new Thread(lines, "jsock cat stdin");
            sender.setDaemon(true);
            sender.start();
            long lastDatagram = System.nanoTime();
            while (true) {
                Exception failed = lines.failure.get();
                if (failed != null) {
                    throw failed instanceof SocketError se ? se : new IOException("stdin: " + failed.getMessage(), failed);
                }
                long quiet;
                long ended = lines.endedAt;
                if (ended != 0) {
                    long since = Math.max(ended, lastDatagram);
                    quiet = wait.toNanos() - (System.nanoTime() - since);
                    if (quiet <= 0) {
                        return 0;
                    }
                } else {
                    quiet = POLL.toNanos();
                }
                s.setTimeout(Duration.ofNanos(Math.max(quiet, 1_000_000)));
                byte[] datagram;
                try {
                    datagram = s.recv(DATAGRAM_BUFSIZE);
                } catch (SocketTimeoutError nothingYet) {
                    continue;
                }
                lastDatagram = System.nanoTime();
                out.write(datagram);
                if (out.checkError()) {
                    throw new IOException("stdout: cannot write (closed?)");
                }
            }
        } finally {
            if (ownDir != null) {
                Files.deleteIfExists(ownDir.resolve("s"));
                Files.deleteIfExists(ownDir);
            }
        }
    }

    /** Sends each line of stdin, its newline included, as one datagram; a last line without one too. */
    private static final class LineSender implements Runnable {
        private final Socket socket;
        private final InputStream in;
        final AtomicReference<Exception> failure = new AtomicReference<>();
        /** {@link System#nanoTime()} when stdin ended, 0 before. */
        volatile long endedAt;

        LineSender(Socket socket, InputStream in) {
            this.socket = socket;
            this.in = in;
        }

        @Override
        public void run() {
            try {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                byte[] chunk = new byte[CHUNK];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] == '\n') {
                            line.write(chunk, start, i + 1 - start);
                            socket.send(line.toByteArray());
                            line.reset();
                            start = i + 1;
                        }
                    }
                    line.write(chunk, start, n - start);
                }
                if (line.size() > 0) {
                    socket.send(line.toByteArray());
                }
                endedAt = Math.max(System.nanoTime(), 1);
            } catch (IOException e) {
                failure.set(e);
            }
        }
    }
}
