package io.jsock.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The load probe of issue 14, kept: 1000 concurrent CPython asyncio clients against {@code jsock
 * echo} in a JVM of its own, each echoing 20 messages of 64 bytes, every byte checked. The echo
 * server's threads and socket descriptors are sampled with every client connected: on Java 21 and
 * later (virtual threads) no connection may hold a thread of its own, and the socket descriptors
 * must come back once the clients have gone. The figures are written to {@code target/load/}.
 */
class LoadTest {
    private static final int CLIENTS = 1000;
    private static final int MESSAGES = 20;
    private static final int SIZE = 64;
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Pattern RESULT = Pattern.compile(
            "\\{\"connected\": (\\d+), \"ok\": (\\d+), \"mismatches\": (\\d+), \"errors\": \\[(.*)], \"seconds\": ([0-9.]+)}");

    @TempDir
    Path dir;

    @Test
    void aThousandConcurrentClientsGetEveryByteBack() throws Exception {
        Python.assumeInstalled();
        Path script = dir.resolve("load_clients.py");
        try (InputStream in = LoadTest.class.getResourceAsStream("load_clients.py")) {
            Files.copy(in, script);
        }
        try (Child echo = Child.start("echo", "inet", "stream", "127.0.0.1:0")) {
            String listening = echo.awaitOut();
            assertTrue(listening.startsWith("listening on 127.0.0.1:"), listening);
            String port = listening.substring(listening.lastIndexOf(':') + 1);
            long pid = echo.process.pid();
            warmUp(pid, Integer.parseInt(port)); // the first connection's classes and buffers, before the idle figures
            int idleThreads = threads(pid);
            int idleDescriptors = descriptors(pid);

            Process clients = new ProcessBuilder("python3", script.toString(), "127.0.0.1", port,
                    String.valueOf(CLIENTS), String.valueOf(MESSAGES), String.valueOf(SIZE))
                    .redirectError(dir.resolve("clients.err").toFile()).start();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("connected " + CLIENTS, line(lines, clients), "every client connects");
                awaitAtLeast(pid, idleDescriptors + CLIENTS);
                int busyThreads = threads(pid);
                int busyDescriptors = descriptors(pid);
                long rssKib = rssKib(pid);
                OutputStream go = clients.getOutputStream();
                go.write('\n');
                go.flush();
                String result = line(lines, clients);
                Matcher m = RESULT.matcher(result);
                assertTrue(m.matches(), "the clients' report: " + result);
                assertEquals(CLIENTS, Integer.parseInt(m.group(2)),
                        "every client got each of its bytes back: " + result + "; echo's stderr: " + echo.stderr());
                assertEquals(0, Integer.parseInt(m.group(3)), "no message came back changed: " + result);
                assertTrue(clients.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the clients end");

                if (Runtime.version().feature() >= 21) {
                    // echo's connections run on virtual threads: none holds a platform thread of its own
                    assertTrue(busyThreads < idleThreads + CLIENTS / 10, "echo ran " + busyThreads + " threads with " + CLIENTS
                            + " clients connected, " + idleThreads + " idle: a thread per connection");
                }
                int after = awaitAtMost(pid, idleDescriptors);
                report("echo-tcp.txt", String.format(
                        "jsock echo inet stream, %d concurrent CPython asyncio clients x %d messages of %d bytes: %s s;%n"
                                + "threads %d idle, %d with every client connected; socket descriptors %d idle, %d connected, %d after;"
                                + " RSS %d MiB connected%n",
                        CLIENTS, MESSAGES, SIZE, m.group(5), idleThreads, busyThreads, idleDescriptors, busyDescriptors, after,
                        rssKib / 1024));
            } finally {
                clients.destroyForcibly();
            }
        }
    }

    /**
     * One round trip before the idle figures are taken: the first connection loads classes and
     * starts what the server makes once (a poller's thread), which is no cost of a connection.
     */
    private static void warmUp(long pid, int port) throws Exception {
        int open;
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) LIMIT.toMillis());
            s.getOutputStream().write('x');
            assertEquals('x', s.getInputStream().read(), "echo answers one byte");
            open = descriptors(pid);
        }
        awaitAtMost(pid, open - 1); // the connection's descriptor closed again
    }

    private static String line(BufferedReader lines, Process clients) throws Exception {
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = next.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                fail("the clients ended without a report" + (clients.isAlive() ? "" : ", exit " + clients.exitValue()));
            }
            return line;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the clients printed nothing within " + LIMIT.toSeconds() + " s");
        }
    }

    /** Waits until the process has at least {@code n} descriptors open (the accepts can lag the connects). */
    private static void awaitAtLeast(long pid, int n) throws IOException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (descriptors(pid) < n) {
            if (System.nanoTime() > deadline) {
                fail("echo had " + descriptors(pid) + " socket descriptors open, not the " + n + " its connections need, after "
                        + LIMIT.toSeconds() + " s");
            }
            pause();
        }
    }

    /** Waits until the process has at most {@code n} descriptors open, and returns how many it has. */
    private static int awaitAtMost(long pid, int n) throws IOException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int open;
        while ((open = descriptors(pid)) > n) {
            if (System.nanoTime() > deadline) {
                fail("echo still had " + open + " socket descriptors open " + LIMIT.toSeconds() + " s after its clients ended, "
                        + n + " before they came");
            }
            pause();
        }
        return open;
    }

    /** Between two looks at /proc: long enough not to take the CPU the server needs. */
    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }

    /**
     * The process's socket descriptors: what a connection that was not closed would leave. The
     * rest (jars, the pollers' epoll and eventfd descriptors, made once on first use, for reading
     * or for writing) do not come and go with connections.
     */
    static int descriptors(long pid) throws IOException {
        int sockets = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor closed between the listing and the look
                }
            }
        }
        return sockets;
    }

    static int threads(long pid) throws IOException {
        return (int) status(pid, "Threads:");
    }

    static long rssKib(long pid) throws IOException {
        return status(pid, "VmRSS:");
    }

    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
            }
        }
        throw new IOException("/proc/" + pid + "/status has no " + field);
    }

    private static void report(String name, String text) throws IOException {
        Path out = Path.of("target", "load");
        Files.createDirectories(out);
        Files.writeString(out.resolve(name), text);
    }
}
