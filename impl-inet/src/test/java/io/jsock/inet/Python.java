package io.jsock.inet;

import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs CPython as a peer or an oracle, every wait bounded; tests that need it are skipped when it is
 * missing. The interpreter is {@code python3}, or the system property {@code jsock.python}.
 */
final class Python implements AutoCloseable {
    private static final String EXECUTABLE = System.getProperty("jsock.python", "python3");
    private static volatile String missing;

    private final Process process;
    private final CompletableFuture<String> stderr;

    private Python(Process process) {
        this.process = process;
        this.stderr = drain(process.getErrorStream());
    }

    /** Skips the calling test, with the reason, when {@code python3} cannot be run. */
    static void assumePresent() {
        if (missing == null) {
            missing = probe();
        }
        if (!missing.isEmpty()) {
            throw new TestAbortedException(EXECUTABLE + " is needed as the CPython peer and is not usable here: " + missing);
        }
    }

    private static String probe() {
        try {
            Process p = new ProcessBuilder(EXECUTABLE, "-c", "import socket").redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return EXECUTABLE + " -c 'import socket' did not end within 20 s";
            }
            return p.exitValue() == 0 ? "" : EXECUTABLE + " -c 'import socket' exited " + p.exitValue();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing python3";
        }
    }

    /** Starts {@code python3 -c script args...}. */
    static Python start(String script, String... args) {
        assumePresent();
        List<String> command = new ArrayList<>(List.of(EXECUTABLE, "-c", script));
        command.addAll(List.of(args));
        try {
            return new Python(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + EXECUTABLE, e);
        }
    }

    /** The first line python prints, waiting at most {@code limit}. */
    String readLine(Duration limit) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                InputStream in = process.getInputStream();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    out.write(b);
                }
                return out.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Python::daemon);
        try {
            return line.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("python printed no line within " + limit.toMillis() + " ms; stderr: " + stderrSoFar());
        }
    }

    /** Everything python prints to stdout until it exits, which must be with status 0 within {@code limit}. */
    String finish(Duration limit) throws Exception {
        CompletableFuture<String> out = drain(process.getInputStream());
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python did not end within " + limit.toMillis() + " ms; stderr: " + stderrSoFar());
        }
        String text = out.get(5, TimeUnit.SECONDS);
        if (process.exitValue() != 0) {
            throw new AssertionError("python exited " + process.exitValue() + "; stdout: " + text + "; stderr: " + stderr.get(5, TimeUnit.SECONDS));
        }
        return text;
    }

    private String stderrSoFar() {
        try {
            return stderr.isDone() ? stderr.get() : "(still running)";
        } catch (InterruptedException | ExecutionException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Python::daemon);
    }

    /** Blocking reads get their own daemon thread rather than the common pool. */
    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "python-io");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
