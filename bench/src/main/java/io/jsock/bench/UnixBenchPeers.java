package io.jsock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Peer threads and temporary folders of the AF_UNIX benchmarks. */
final class UnixBenchPeers {
    /** What every peer thread's name starts with, for {@link ThreadCpuProfiler}. */
    static final String PREFIX = "unix-peer-";

    private UnixBenchPeers() {
    }

    /** A loop that runs until its socket closes. */
    interface Loop {
        void run() throws Exception;
    }

    /** Starts a daemon thread running {@code loop}; the loop ends when the benchmark closes its socket. */
    static Thread start(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (Exception closedByTearDown) {
                // tear-down closes the sockets under the peer: its loop ends with the error it gets
            }
        }, PREFIX + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Deletes a benchmark's temporary folder and the socket files in it. */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
