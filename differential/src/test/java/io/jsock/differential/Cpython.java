package io.jsock.differential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * CPython's half of the differential test: one {@code python3} process running
 * {@code differential.py}, which takes a sequence a line and answers a line of tokens. The
 * interpreter is {@code python3}, or the system property {@code jsock.python}. Every wait is bounded.
 */
final class Cpython implements AutoCloseable {
    private static final String EXECUTABLE = System.getProperty("jsock.python", "python3");
    private static final String END = "\u0000end";
    private static String probed;

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private Cpython(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        daemon("differential-python-stdout", () -> {
            try (BufferedReader out = reader(process.getInputStream())) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                stderr.append("(reading stdout: ").append(e).append(")");
            }
            lines.add(END);
        });
        daemon("differential-python-stderr", () -> {
            try (BufferedReader err = reader(process.getErrorStream())) {
                for (String line; (line = err.readLine()) != null; ) {
                    stderr.append(line).append('\n');
                }
            } catch (IOException e) {
                stderr.append("(reading stderr: ").append(e).append(")");
            }
        });
    }

    /**
     * Why the differential tests must be skipped: python3 cannot be run here. Empty when it can,
     * and empty in CI ({@code CI=true}), where python3 is part of the build's machine and its absence
     * must fail the tests rather than skip them.
     */
    static synchronized Optional<String> skipReason() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return Optional.empty();
        }
        if (probed == null) {
            probed = probe();
        }
        return probed.isEmpty() ? Optional.empty()
                : Optional.of(EXECUTABLE + " is the oracle of the differential test and is not usable here: " + probed);
    }

    private static String probe() {
        try {
            Process p = new ProcessBuilder(EXECUTABLE, "-c", "import socket, signal; socket.AF_UNIX")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return EXECUTABLE + " -c 'import socket' did not end within 20 s";
            }
            return p.exitValue() == 0 ? "" : EXECUTABLE + " -c 'import socket, signal; socket.AF_UNIX' exited " + p.exitValue();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing " + EXECUTABLE;
        }
    }

    /** Starts {@code python3 -u -c differential.py}. */
    static Cpython start() {
        String script;
        try (InputStream in = Cpython.class.getResourceAsStream("differential.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading differential.py", e);
        }
        try {
            return new Cpython(new ProcessBuilder(EXECUTABLE, "-u", "-c", script).start());
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + EXECUTABLE + " (the differential test's oracle)", e);
        }
    }

    /** Hands CPython a sequence; {@link #answer} reads its tokens. Lets jsock run the same sequence meanwhile. */
    void ask(Kind kind, List<String> ops) {
        String line = kind.word + " " + String.join(" ", ops) + "\n";
        try {
            stdin.write(line.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("python3 took no sequence (" + e + "); stderr: " + stderr, e);
        }
    }

    /** The tokens of the sequence last asked, waiting at most {@code limit}. */
    List<String> answer(Duration limit) {
        String line;
        try {
            line = lines.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for python3", e);
        }
        if (line == null) {
            throw new AssertionError("python3 answered nothing within " + limit.toMillis() + " ms; stderr: " + stderr);
        }
        if (line.equals(END)) {
            lines.add(END);
            throw new AssertionError("python3 ended; stderr: " + stderr);
        }
        return line.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(line.split(" ")));
    }

    @Override
    public void close() {
        try {
            stdin.write("quit\n".getBytes(StandardCharsets.UTF_8));
            stdin.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
