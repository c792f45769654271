package io.jsock.unix;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** CPython as the peer of this module's interop tests. */
final class Cpython {
    private Cpython() {
    }

    /**
     * Skips the calling tests unless {@code python3} runs and its socket module has {@code name}
     * ({@code "AF_UNIX"}, {@code "send_fds"}, ...).
     */
    static void assumeSocketHas(String name) {
        boolean present;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import socket; socket." + name).redirectErrorStream(true).start();
            present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "python3 with socket." + name + " is not installed");
    }
}
