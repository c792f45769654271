package io.jsock.differential;

import io.jsock.SocketError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs call sequences on jsock and on CPython at once (CPython in its process, jsock in this one)
 * and pairs the tokens. One CPython process serves all the sequences of a test class.
 */
final class Differential implements AutoCloseable {
    /** Longer than any sequence takes: 8 ops, each at most the watchdog's time. */
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final ExecutorService PLATFORM = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "differential-jsock");
        t.setDaemon(true);
        return t;
    });
    /** A virtual thread per sequence, where the JVM has them (Java 21+), else null. */
    private static final ExecutorService VIRTUAL = virtualThreads();
    /** Where jsock's half runs by default: with -Djsock.differential.threads=virtual, on virtual threads. */
    private static final boolean VIRTUAL_BY_DEFAULT = "virtual".equals(System.getProperty("jsock.differential.threads"));

    private static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException beforeJava21) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor", e);
        }
    }

    /** Why jsock cannot run on virtual threads here, or empty when it can. */
    static Optional<String> noVirtualThreads() {
        return VIRTUAL != null ? Optional.empty()
                : Optional.of("virtual threads need Java 21 or later; this JVM is " + System.getProperty("java.version"));
    }

    private final Cpython python;
    private final Path base;
    private int sequences;

    private Differential(Cpython python, Path base) {
        this.python = python;
        this.base = base;
    }

    static Differential start() {
        Cpython python = Cpython.start();
        try {
            return new Differential(python, Files.createTempDirectory("jsock-diff-"));
        } catch (IOException e) {
            python.close();
            throw new UncheckedIOException("a directory for the AF_UNIX socket files", e);
        }
    }

    /**
     * Both sides' tokens for one sequence, run again when they differ: a difference counts when
     * it shows twice running. One that does not (a timeout that a loaded machine turned into
     * "blocked", say) is written to stderr and the agreeing run returned.
     */
    Outcome compare(Kind kind, List<String> ops) {
        return compare(kind, ops, VIRTUAL_BY_DEFAULT);
    }

    /** {@link #compare(Kind, List)} with jsock's half on a virtual thread or on a platform thread. */
    Outcome compare(Kind kind, List<String> ops, boolean virtual) {
        Outcome first = run(kind, ops, virtual);
        if (first.agree()) {
            return first;
        }
        Outcome again = run(kind, ops, virtual);
        if (again.agree()) {
            System.err.println("differential: a difference that did not show again, taken for the machine's timing:\n"
                    + first.report());
        }
        return again;
    }

    /** Both sides' tokens for one sequence, run once. */
    Outcome run(Kind kind, List<String> ops) {
        return run(kind, ops, VIRTUAL_BY_DEFAULT);
    }

    private Outcome run(Kind kind, List<String> ops, boolean virtual) {
        if (virtual && VIRTUAL == null) {
            throw new IllegalStateException(noVirtualThreads().orElseThrow());
        }
        python.ask(kind, ops);
        Path dir = base.resolve("s" + ++sequences);
        CompletableFuture<List<String>> jsock = CompletableFuture.supplyAsync(() -> {
            try {
                Files.createDirectory(dir);
                try (JsockRun run = new JsockRun(kind, dir)) {
                    return run.run(ops);
                }
            } catch (SocketError e) {
                throw new AssertionError("the harness of " + kind.word + " " + ops + " could not be set up on jsock", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, virtual ? VIRTUAL : PLATFORM);
        List<String> ours;
        try {
            ours = jsock.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("jsock's run of " + kind.word + " " + ops + " did not end within " + LIMIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new AssertionError("jsock's run of " + kind.word + " " + ops + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new Outcome(kind, ops, ours, python.answer(LIMIT));
    }

    @Override
    public void close() {
        python.close();
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + base, e);
        }
    }

    /** A sequence and what each side answered, op by op. */
    record Outcome(Kind kind, List<String> ops, List<String> jsock, List<String> cpython) {
        boolean agree() {
            return jsock.equals(cpython);
        }

        /** The sequence, both answers side by side, and the first op they differ on. */
        String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(agree() ? "jsock and CPython agree on " : "jsock and CPython differ on ")
                    .append(kind.word).append(' ').append(String.join(" ", ops)).append('\n');
            int width = 4;
            for (String op : ops) {
                width = Math.max(width, op.length());
            }
            String row = "  %-" + width + "s  %-12s %-12s%s%n";
            sb.append(String.format(Locale.ROOT, row, "op", "jsock", "CPython", ""));
            boolean marked = false;
            for (int i = 0; i < ops.size(); i++) {
                String ours = i < jsock.size() ? jsock.get(i) : "-";
                String theirs = i < cpython.size() ? cpython.get(i) : "-";
                String mark = "";
                if (!marked && !ours.equals(theirs)) {
                    mark = "  <- first difference";
                    marked = true;
                }
                sb.append(String.format(Locale.ROOT, row, ops.get(i), ours, theirs, mark));
            }
            sb.append("  (CPython alone: echo '").append(kind.word).append(' ').append(String.join(" ", ops))
                    .append("' | python3 differential/src/test/resources/io/jsock/differential/differential.py)");
            return sb.toString();
        }
    }
}
