package io.jsock.cli;

import io.jsock.Sockets;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code java io.jsock.cli.Main ARGS} in a JVM of its own, on this JVM's class path: for what only
 * a process shows (a signal, a closed pipe, a descriptor limit). Its stdout and stderr lines are
 * read as they come.
 */
final class Child implements AutoCloseable {
    static final Duration LIMIT = Duration.ofSeconds(30);

    final Process process;
    private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> err = new LinkedBlockingQueue<>();
    private final StringBuffer errText = new StringBuffer();

    private Child(Process process) {
        this.process = process;
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), out, null);
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), err, errText);
    }

    /** The command line of a JVM that runs jsock's Main with {@code jvmOptions} and {@code args}. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED"); // what jsock.jar's manifest gives: FFM without a warning on JDK 22+
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    static Child start(List<String> command, File dir) throws IOException {
        return new Child(new ProcessBuilder(command).directory(dir).start());
    }

    static Child start(String... args) throws IOException {
        return start(command(List.of(), args), null);
    }

    /** This JVM's class path, with where jsock's own classes come from in case Surefire hid it in a manifest. */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        for (Class<?> c : List.of(Main.class, Sockets.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException | RuntimeException e) {
                // the class path has it
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void pump(BufferedReader r, BlockingQueue<String> lines, StringBuffer text) {
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    if (text != null) {
                        text.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "child output");
        t.setDaemon(true);
        t.start();
    }

    /** The next stdout line, failing the test if none comes within the limit. */
    String awaitOut() throws InterruptedException {
        String line = out.poll(LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            fail("the child printed no line within " + LIMIT + "; stderr: " + errText);
        }
        return line;
    }

    /** The next stderr line that starts with {@code prefix}, failing the test if none comes within the limit. */
    String awaitErr(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            String line = err.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("the child printed no stderr line starting with '" + prefix + "' within " + LIMIT + "; stderr: " + errText);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    String stderr() {
        return errText.toString();
    }

    /** Waits for the process to end and returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            fail("the child did not end within " + LIMIT + "; stderr: " + errText);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
