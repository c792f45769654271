package io.jsock.cli;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code jsock cat [-l] [-v] [-w SECONDS] [-s ADDRESS] [--no-shutdown] [--wait SECONDS] FAMILY TYPE
 * ADDRESS}: stdin to the socket, the socket to stdout, as netcat does.
 */
final class CatCommand {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);
    private static final int CHUNK = 64 * 1024;
    private static final int MESSAGE_BUFSIZE = 256 * 1024;
    private static final int DATAGRAM_BUFSIZE = 65_536;
    /** How often a loop looks whether stdin has ended or the idle time is up. */
    private static final Duration POLL = Duration.ofMillis(100);

    static final Args.Spec OPTIONS = new Args.Spec()
            .flag("--listen", "-l")
            .flag("--verbose", "-v")
            .value("--timeout", "-w", "SECONDS")
            .value("--source", "-s", "ADDRESS")
            .flag("--no-shutdown", null)
            .value("--wait", null, "SECONDS");

    private CatCommand() {
    }

    /** What the options ask for. */
    private record Options(boolean listen, boolean verbose, Duration idle, SocketAddress source, boolean keepOpen, Duration datagramWait) {
    }

    static int run(List<String> argv, InputStream in, PrintStream out, PrintStream err) throws UsageError, SocketError, IOException {
        Args args = Args.parse(argv, OPTIONS);
        Duration wait = seconds("--wait", args.single("--wait"), true);
        Duration idle = seconds("-w", args.single("--timeout"), false);
        Args.Target target = args.target("cat");
        boolean connection = Endpoints.connectionOriented(target.type());
        if (wait != null && connection) {
            throw UsageError.bad("option", "--wait", "only a datagram type waits for late replies; " + target.type()
                    + " ends at the peer's end of stream (-w SECONDS sets an idle timeout)");
        }
        boolean listen = args.flag("--listen");
        String sourceArg = args.single("--source");
        if (listen && sourceArg != null) {
            throw UsageError.bad("option", "-s", "cannot be used with -l: the ADDRESS is what -l binds");
        }
        SocketAddress source = sourceArg == null ? null
                : Endpoints.resolve(Endpoints.address(target.family(), sourceArg), target.family(), target.type());
        Options o = new Options(listen, args.flag("--verbose"), idle, source, args.flag("--no-shutdown"),
                wait == null ? DEFAULT_WAIT : wait);
        SocketAddress address = Endpoints.resolve(target.address(), target.family(), target.type());
        Stdout stdout = new Stdout(out);
        if (connection) {
            return listen ? acceptOne(target, address, o, in, stdout, err) : connect(target, address, o, in, stdout, err);
        }
        return datagrams(target, address, o, in, stdout, err);
    }

    /** A number of seconds, as 1 or 0.5; null when not given. */
    static Duration seconds(String option, String value, boolean zeroAllowed) throws UsageError {
        if (value == null) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() < 0 || (!zeroAllowed && seconds.signum() == 0) || seconds.compareTo(BigDecimal.valueOf(86_400)) > 0) {
                throw UsageError.bad(option, value, zeroAllowed ? "expected seconds from 0 to 86400" : "expected seconds above 0, at most 86400");
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            throw UsageError.bad(option, value, "expected a number of seconds, as 1 or 0.5");
        }
    }

    // ---- connections: SOCK_STREAM, SOCK_SEQPACKET -----------------------------------------

    private static int connect(Args.Target target, SocketAddress address, Options o, InputStream in, Stdout out, PrintStream err)
            throws SocketError, IOException {
        try (Socket s = Sockets.socket(target.family(), target.type()); SocketFiles.Owned source = bindSource(s, o, err)) {
            s.setTimeout(o.idle()); // the connect timeout; null: blocking
            s.connect(address);
            s.setTimeout(null);
            if (o.verbose()) {
                err.println("jsock: connected to " + Endpoints.format(address) + " from " + Endpoints.format(s.getSockName()));
            }
            return exchange(s, target.type(), address, o, in, out, err);
        }
    }

    private static int acceptOne(Args.Target target, SocketAddress address, Options o, InputStream in, Stdout out, PrintStream err)
            throws SocketError, IOException {
        Socket connection;
        SocketAddress peer;
        try (Socket listener = Sockets.socket(target.family(), target.type());
             SocketFiles.Owned file = bind(listener, address, err)) {
            listener.listen(1);
            if (o.verbose()) {
                err.println("jsock: listening on " + Endpoints.format(listener.getSockName()));
            }
            Accepted accepted = listener.accept();
            connection = accepted.socket();
            peer = accepted.address();
        }
        try (Socket s = connection) {
            if (o.verbose()) {
                err.println("jsock: accepted " + Endpoints.format(peer) + " on " + Endpoints.format(s.getSockName()));
            }
            return exchange(s, target.type(), peer, o, in, out, err);
        }
    }

    /**
     * Both directions of a connection at once: stdin to the socket on a thread of its own, the
     * socket to stdout here, until the peer ends the stream, stdout's reader goes away, or it has
     * been idle for {@code -w}.
     */
    private static int exchange(Socket s, SocketType type, SocketAddress peer, Options o, InputStream in, Stdout out, PrintStream err)
            throws SocketError, IOException {
        Activity activity = new Activity();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        boolean messages = type != SocketType.SOCK_STREAM;
        Stdin stdin = new Stdin(in);
        Thread sender = new Thread(() -> {
            try {
                if (messages) {
                    Lines.send(stdin, s, activity);
                } else {
                    byte[] chunk = new byte[CHUNK];
                    int n;
                    while ((n = stdin.read(chunk)) > 0) {
                        s.sendAll(n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
                        activity.touch();
                    }
                }
                if (!o.keepOpen()) {
                    s.shutdown(Shutdown.SHUT_WR);
                }
            } catch (IOException e) {
                sendFailure.set(e);
            }
        }, "jsock cat stdin");
        sender.setDaemon(true); // the peer may end the stream while stdin is still open
        sender.start();
        Watchdog idle = o.idle() == null ? null : Watchdog.start(o.idle(), activity, () -> {
            try {
                s.shutdown(Shutdown.SHUT_RDWR); // ends the recv below with the end of stream
            } catch (SocketError alreadyGone) {
                // the connection ended on its own
            }
        });
        ByteBuffer buffer = ByteBuffer.allocate(messages ? MESSAGE_BUFSIZE : CHUNK);
        try {
            while (true) {
                int n;
                try {
                    n = s.recvInto(buffer.clear());
                } catch (SocketError e) {
                    if (idle != null && idle.fired()) {
                        break;
                    }
                    throw named(e, "recv", peer);
                }
                if (n == 0) {
                    break;
                }
                activity.touch();
                if (!out.write(buffer.array(), 0, n)) {
                    return 0; // the reader of stdout went away, as with cat ... | head
                }
            }
        } finally {
            if (idle != null) {
                idle.stop();
            }
        }
        if (idle == null || !idle.fired()) {
            stdin.awaitSent(sender);
        }
        if (idle != null && idle.fired()) {
            if (o.verbose()) {
                err.println("jsock: nothing sent or received for " + seconds(o.idle()) + " s (-w): closing");
            }
            return 0;
        }
        Exception failed = sendFailure.get();
        if (failed != null && !peerIsGone(failed)) {
            throw failed instanceof SocketError se ? named(se, "send", peer) : new IOException("stdin: " + failed.getMessage(), failed);
        }
        return 0;
    }

    /** A send that failed because the peer closed first: the end of stream says it all. */
    private static boolean peerIsGone(Exception e) {
        return e instanceof SocketError se && (se.errno() == Errno.EPIPE || se.errno() == Errno.ECONNRESET);
    }

    /**
     * The error of a call on a connected socket, naming the peer as {@code connect} names its
     * address: {@code recv 127.0.0.1:6254: Connection reset by peer}.
     */
    private static SocketError named(SocketError e, String call, SocketAddress peer) {
        if (peer == null || e.errno() == Errno.EBADF) {
            return e;
        }
        String what = call + " " + Endpoints.format(peer) + ": " + e.errno().description();
        return e instanceof SocketTimeoutError ? new SocketTimeoutError(what) : new SocketError(e.errno(), what, e);
    }

    // ---- datagrams ------------------------------------------------------------------------

    private static int datagrams(Args.Target target, SocketAddress address, Options o, InputStream in, Stdout out, PrintStream err)
            throws SocketError, IOException {
        try (Socket s = Sockets.socket(target.family(), target.type())) {
            SocketFiles.Owned file;
            SocketAddress peer = null;
            byte[] first = null;
            if (o.listen()) {
                file = bind(s, address, err);
            } else if (o.source() != null) {
                file = bindSource(s, o, err);
            } else {
                file = SocketFiles.own(null, null, err);
                if (target.family() == AddressFamily.AF_UNIX) {
                    // an unbound AF_UNIX datagram socket cannot be answered: Linux autobinds it to an
                    // abstract name, which leaves no file behind however the process ends
                    s.bind(UnixAddress.unnamed());
                }
            }
            try (SocketFiles.Owned owned = file) {
                if (o.listen()) {
                    if (o.verbose()) {
                        err.println("jsock: listening on " + Endpoints.format(s.getSockName()));
                    }
                    Datagram d = s.recvFrom(DATAGRAM_BUFSIZE);
                    first = d.data();
                    if (d.address() == null || d.address() instanceof UnixAddress u && u.isUnnamed()) {
                        err.println("jsock: the first datagram came from an unbound AF_UNIX socket: nothing can be sent back to it");
                    } else {
                        peer = d.address();
                        s.connect(peer);
                        if (o.verbose()) {
                            err.println("jsock: connected to " + Endpoints.format(peer) + ", the first datagram's sender");
                        }
                    }
                } else {
                    s.connect(address);
                    peer = address;
                    if (o.verbose()) {
                        err.println("jsock: sending to " + Endpoints.format(address) + " from " + Endpoints.format(s.getSockName()));
                    }
                }
                return exchangeDatagrams(s, peer, first, o, in, out);
            }
        }
    }

    private static int exchangeDatagrams(Socket s, SocketAddress peer, byte[] first, Options o, InputStream in, Stdout out)
            throws SocketError, IOException {
        Activity activity = new Activity();
        if (first != null && !out.write(first, 0, first.length)) {
            return 0;
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] endedAt = {0};
        Thread sender = new Thread(() -> {
            try {
                if (peer != null) {
                    Lines.send(in, s, activity);
                } else {
                    in.transferTo(OutputStream.nullOutputStream()); // nobody to send it to
                }
                synchronized (endedAt) {
                    endedAt[0] = Math.max(System.nanoTime(), 1);
                }
            } catch (IOException e) {
                failure.set(e);
            }
        }, "jsock cat stdin");
        sender.setDaemon(true);
        sender.start();
        long lastDatagram = System.nanoTime();
        ByteBuffer buffer = ByteBuffer.allocate(DATAGRAM_BUFSIZE);
        while (true) {
            Exception failed = failure.get();
            if (failed != null) {
                throw failed instanceof SocketError se ? named(se, "send", peer) : new IOException("stdin: " + failed.getMessage(), failed);
            }
            long now = System.nanoTime();
            long quiet = POLL.toNanos();
            long ended;
            synchronized (endedAt) {
                ended = endedAt[0];
            }
            if (ended != 0 && !o.keepOpen()) {
                long left = o.datagramWait().toNanos() - (now - Math.max(ended, lastDatagram));
                if (left <= 0) {
                    return 0;
                }
                quiet = Math.min(quiet, left);
            }
            if (o.idle() != null) {
                long left = o.idle().toNanos() - (now - activity.last());
                if (left <= 0) {
                    return 0;
                }
                quiet = Math.min(quiet, left);
            }
            s.setTimeout(Duration.ofNanos(Math.max(quiet, 1_000_000)));
            int n;
            try {
                n = s.recvInto(buffer.clear());
            } catch (SocketTimeoutError nothingYet) {
                continue;
            } catch (SocketError e) {
                throw named(e, "recv", peer);
            }
            lastDatagram = System.nanoTime();
            activity.touch();
            if (!out.write(buffer.array(), 0, n)) {
                return 0;
            }
        }
    }

    // ---- shared ---------------------------------------------------------------------------

    /** Binds to the address to listen on: SO_REUSEADDR for an inet stream, a stale socket file replaced. */
    private static SocketFiles.Owned bind(Socket s, SocketAddress address, PrintStream err) throws SocketError {
        if (address instanceof UnixAddress unix) {
            return SocketFiles.own(unix, SocketFiles.bind(s, unix), err);
        }
        if (s.type() == SocketType.SOCK_STREAM) {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        s.bind(address);
        return SocketFiles.own(null, null, err);
    }

    /** Binds to {@code -s ADDRESS} if given; the socket file it makes goes when cat ends. */
    private static SocketFiles.Owned bindSource(Socket s, Options o, PrintStream err) throws SocketError {
        if (o.source() == null) {
            return SocketFiles.own(null, null, err);
        }
        if (o.source() instanceof UnixAddress unix) {
            s.bind(unix);
            return SocketFiles.own(unix, unix.isAbstract() ? null : SocketFiles.identity(unix.path()), err);
        }
        s.bind(o.source());
        return SocketFiles.own(null, null, err);
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    /** When something was last sent or received. */
    private static final class Activity {
        private volatile long last = System.nanoTime();

        void touch() {
            last = System.nanoTime();
        }

        long last() {
            return last;
        }
    }

    /** Runs {@code onIdle} once when nothing happened for {@code limit}. */
    private static final class Watchdog implements Runnable {
        private final Duration limit;
        private final Activity activity;
        private final Runnable onIdle;
        private final Thread thread;
        private volatile boolean fired;
        private volatile boolean stopped;

        private Watchdog(Duration limit, Activity activity, Runnable onIdle) {
            this.limit = limit;
            this.activity = activity;
            this.onIdle = onIdle;
            this.thread = new Thread(this, "jsock cat -w");
            thread.setDaemon(true);
        }

        static Watchdog start(Duration limit, Activity activity, Runnable onIdle) {
            Watchdog w = new Watchdog(limit, activity, onIdle);
            w.thread.start();
            return w;
        }

        @Override
        public void run() {
            while (!stopped) {
                long left = limit.toNanos() - (System.nanoTime() - activity.last());
                if (left <= 0) {
                    fired = true;
                    onIdle.run();
                    return;
                }
                LockSupport.parkNanos(Math.min(left, POLL.toNanos()));
            }
        }

        boolean fired() {
            return fired;
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }
    }

    /**
     * Stdin, telling whether the sender waits in it: at the peer's end of stream, what was read
     * is still sent, while a stdin with nothing more to give (a terminal) is not waited for.
     */
    private static final class Stdin extends FilterInputStream {
        /** How long the sender must have waited in read for stdin to count as having nothing more now. */
        private static final long IDLE_NANOS = Duration.ofMillis(50).toNanos();
        private static final long LONGEST_WAIT_NANOS = Duration.ofSeconds(10).toNanos();
        /** {@link System#nanoTime()} since the sender waits in read, 0 while it is not reading. */
        private volatile long readingSince;

        Stdin(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            readingSince = Math.max(System.nanoTime(), 1);
            try {
                return super.read(b, off, len);
            } finally {
                readingSince = 0;
            }
        }

        /** Waits until the sender has ended, or has waited in read a while: what it read is then sent. */
        void awaitSent(Thread sender) {
            long deadline = System.nanoTime() + LONGEST_WAIT_NANOS;
            while (sender.isAlive() && System.nanoTime() - deadline < 0) {
                long since = readingSince;
                if (since != 0 && System.nanoTime() - since > IDLE_NANOS) {
                    return;
                }
                try {
                    sender.join(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Each line of stdin, its newline included, as one datagram or message; a last line without one too. */
    private static final class Lines {
        private Lines() {
        }

        static void send(InputStream in, Socket socket, Activity activity) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = in.read(chunk)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        line.write(chunk, start, i + 1 - start);
                        sendOne(socket, line.toByteArray());
                        activity.touch();
                        line.reset();
                        start = i + 1;
                    }
                }
                line.write(chunk, start, n - start);
            }
            if (line.size() > 0) {
                sendOne(socket, line.toByteArray());
                activity.touch();
            }
        }

        /** One send; the receiving side polls with a timeout on the same socket, which a send must outlast. */
        private static void sendOne(Socket socket, byte[] message) throws SocketError {
            while (true) {
                try {
                    socket.send(message);
                    return;
                } catch (SocketTimeoutError peerIsSlow) {
                    // the receiving side's poll timeout, not ours: the peer's queue is full, try again
                }
            }
        }
    }

    /**
     * Standard output, which a reader may stop reading: {@code cat ... | head} ends quietly, as
     * netcat does, while a stdout that is a file and cannot be written (a full disk) is an error.
     */
    static final class Stdout {
        private final PrintStream out;

        Stdout(PrintStream out) {
            this.out = out;
        }

        /** Writes and flushes; false when the reader went away. */
        boolean write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
            if (!out.checkError()) {
                return true;
            }
            if (out == System.out && !isPipeOrSocket()) {
                throw new IOException("stdout: cannot write");
            }
            return false;
        }

        /** Whether descriptor 1 is a pipe or a socket, where a failed write means the reader is gone (EPIPE). */
        private static boolean isPipeOrSocket() {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
                return target.startsWith("pipe:") || target.startsWith("socket:");
            } catch (IOException | UnsupportedOperationException | SecurityException unknown) {
                return true;
            }
        }
    }
}
