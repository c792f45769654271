package io.jsock.tck.contracts;

import io.jsock.Socket;
import io.jsock.tck.TckTarget;
import org.opentest4j.TestAbortedException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM of the same Java, on the same class path, without a single JVM flag, running
 * {@link SocketProbe} against the provider under test. The TCK runs from Surefire and from
 * {@code java -jar jsock.jar tck}; both work, as the class path is rebuilt from where the classes came from.
 */
final class ChildJvm {
    /** The longest a probe may run. */
    static final Duration LIMIT = Duration.ofSeconds(60);
    /** Exit status of a probe that cannot run its scenarios here; its standard error says why. */
    static final int CANNOT_RUN = 3;

    /** Variables that give a JVM flags behind the command line's back. */
    private static final List<String> FLAG_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /**
     * What a probe printed.
     *
     * @param exit   its exit status
     * @param stdout its standard output, as UTF-8
     * @param stderr its standard error, as UTF-8
     */
    record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code SocketProbe mode provider-class provider-name family type} for the target's
     * triple in a new JVM, with {@code environment} changed as given (a null value removes the
     * variable). Skips the case when the probe cannot run its scenarios here.
     */
    static Result probe(TckTarget t, String mode, Map<String, String> environment) throws IOException, InterruptedException {
        return run(t, List.of(), SocketProbe.class, List.of(mode), environment);
    }

    /**
     * Runs {@code program MODE PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE args...} for the target's
     * triple in a new JVM started through {@code launcher} (a command that ends by running its
     * arguments, such as {@code sh -c 'ulimit -n 256 && exec "$0" "$@"'}; empty: none), and waits
     * for it to end. Skips the case when the program cannot run its scenarios here.
     */
    static Result run(TckTarget t, List<String> launcher, Class<?> program, List<String> modeAndArgs,
                      Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = command(t, launcher, program, modeAndArgs);
        Path out = Files.createTempFile(t.tempDir(), "probe", ".out");
        Path err = Files.createTempFile(t.tempDir(), "probe", ".err");
        ProcessBuilder builder = builder(command, environment);
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the probe JVM (" + String.join(" ", command) + ") did not end within "
                        + LIMIT.toSeconds() + " s; it printed: " + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            process.destroyForcibly();
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        if (result.exit() == CANNOT_RUN) {
            throw t.skip("The probe JVM cannot run here (" + result.stderr().strip() + ").");
        }
        if (result.exit() != 0) {
            throw new AssertionError("the probe JVM (" + String.join(" ", command) + ") exited with " + result.exit()
                    + "; stdout: " + result.stdout() + "; stderr: " + result.stderr());
        }
        return result;
    }

    /**
     * Starts {@code program MODE PROVIDER-CLASS PROVIDER-NAME FAMILY TYPE args...} for the target's
     * triple in a new JVM and returns at once; its standard error goes to a file in the case's
     * folder, and the case's end kills it if it still runs.
     */
    static Process start(TckTarget t, Class<?> program, List<String> modeAndArgs) throws IOException {
        Path err = Files.createTempFile(t.tempDir(), "peer", ".err");
        ProcessBuilder builder = builder(command(t, List.of(), program, modeAndArgs), Map.of());
        builder.redirectError(err.toFile());
        Process process = builder.start();
        t.onClose(process::destroyForcibly);
        return process;
    }

    private static List<String> command(TckTarget t, List<String> launcher, Class<?> program, List<String> modeAndArgs) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java.toString(), "-cp", classPath(t), program.getName(), modeAndArgs.get(0),
                t.provider().getClass().getName(), t.provider().name(), t.family().name(), t.type().name()));
        command.addAll(modeAndArgs.subList(1, modeAndArgs.size()));
        return command;
    }

    /** A process builder for {@code command} with no JVM flags from the environment and no standard input. */
    private static ProcessBuilder builder(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        FLAG_VARIABLES.forEach(env::remove);
        environment.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        return builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }

    /** This JVM's class path, and where the provider, the TCK, the API and opentest4j came from. */
    private static String classPath(TckTarget t) {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(e);
            }
        }
        for (Class<?> c : List.of(t.provider().getClass(), SocketProbe.class, Socket.class, TestAbortedException.class)) {
            Path p = origin(c);
            if (p != null) {
                entries.add(p.toString());
            }
        }
        return String.join(File.pathSeparator, new ArrayList<>(entries));
    }

    private static Path origin(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        try {
            return Path.of(location.toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("the code source of " + c.getName() + " is no path: " + location, e));
        }
    }
}
