package io.jsock.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link Main#run} on a thread of its own with its own streams, as a separate process would be. */
final class Running implements AutoCloseable {
    static final Duration LIMIT = Duration.ofSeconds(30);

    final Capture out = new Capture();
    final Capture err = new Capture();
    private final AtomicInteger status = new AtomicInteger(Integer.MIN_VALUE);
    private final Thread thread;
    private final String commandLine;

    private Running(InputStream in, String... args) {
        this.commandLine = String.join(" ", args);
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        thread = new Thread(() -> status.set(Main.run(args, in, o, e)), "jsock " + commandLine);
        thread.setDaemon(true);
    }

    static Running start(InputStream in, String... args) {
        Running r = new Running(in, args);
        r.thread.start();
        return r;
    }

    /** The address of the first stdout line, which must be {@code listening on ADDRESS}. */
    String awaitListening() throws InterruptedException {
        String line = out.awaitLine(LIMIT, () -> thread.isAlive());
        if (line == null) {
            fail(commandLine + " printed no line within " + LIMIT + " (status " + status.get() + "); stderr: " + err.text());
        }
        assertTrue(line.startsWith("listening on "), "first stdout line of " + commandLine + ": " + line);
        return line.substring("listening on ".length());
    }

    /** The first stderr line that starts with {@code prefix}, within the limit; fails the test otherwise. */
    String awaitErr(String prefix) throws InterruptedException {
        String line = err.awaitLineStartingWith(prefix, LIMIT, () -> thread.isAlive());
        if (line == null) {
            fail(commandLine + " printed no stderr line starting with '" + prefix + "' (status " + status.get() + "); stderr: " + err.text());
        }
        return line;
    }

    /** Whether the command is still running. */
    boolean alive() {
        return thread.isAlive();
    }

    /** Waits for the command to end and returns its exit status. */
    int awaitExit() throws InterruptedException {
        thread.join(LIMIT.toMillis());
        assertFalse(thread.isAlive(), commandLine + " still running after " + LIMIT + "; stderr: " + err.text());
        return status.get();
    }

    /** Stops a server by interrupting its thread, as the command documents. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + commandLine + " to stop", e);
        }
        assertFalse(thread.isAlive(), commandLine + " did not stop when interrupted");
    }

    /** An output stream whose writer and reader meet on a monitor: no sleeping. */
    static final class Capture extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** The first line that starts with {@code prefix}, without its newline; null if none came within {@code limit} or while {@code alive}. */
        synchronized String awaitLineStartingWith(String prefix, Duration limit, java.util.function.BooleanSupplier alive) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
                for (int i = 0; i < lines.length - 1; i++) { // the last is not a whole line yet
                    if (lines[i].startsWith(prefix)) {
                        return lines[i];
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !alive.getAsBoolean()) {
                    return null;
                }
                wait(Math.min(Math.max(left / 1_000_000, 1), 200));
            }
        }

        /** The first line, without its newline; null if none came within {@code limit} or while {@code alive}. */
        synchronized String awaitLine(Duration limit, java.util.function.BooleanSupplier alive) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                String s = bytes.toString(StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                if (nl >= 0) {
                    return s.substring(0, nl);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !alive.getAsBoolean()) {
                    return null;
                }
                wait(Math.min(Math.max(left / 1_000_000, 1), 200)); // re-checks liveness of the writer now and then
            }
        }
    }
}
