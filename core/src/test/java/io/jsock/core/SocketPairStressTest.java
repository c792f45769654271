package io.jsock.core;

import io.jsock.AddressFamily;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * socketpair(2) hands back two descriptors through memory the call writes: the first round read
 * them from a buffer the GC could already have freed, and under a small heap wrapped wrong numbers
 * (another pair's descriptor, negative ones) and leaked real ones. This runs many pairs in a JVM
 * with a tiny heap and garbage on the side, so the GC runs between every call and its read-back,
 * and checks every pair: two new descriptors, connected to each other, and none left behind.
 */
class SocketPairStressTest {
    private static final int PAIRS = 200_000;

    /** The child JVM: prints "ok" or the first thing that went wrong. */
    public static void main(String[] args) throws Exception {
        int pairs = Integer.parseInt(args[0]);
        SocketPair warmUp = NativeSocket.openPair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0); // loads the backend
        warmUp.first().close();
        warmUp.second().close();
        long before = openDescriptors();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < pairs; i++) {
            garbage[i & 63] = new byte[16 * 1024]; // keeps the young generation churning
            SocketPair p = NativeSocket.openPair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
            try {
                int a = p.first().fileno();
                int b = p.second().fileno();
                if (a <= 2 || b <= 2 || a == b) {
                    System.out.println("pair " + i + " has descriptors " + a + " and " + b);
                    return;
                }
                byte[] token = {(byte) i, (byte) (i >> 8), (byte) (i >> 16)};
                p.first().sendAll(token);
                byte[] got = p.second().recv(16);
                if (!Arrays.equals(token, got)) {
                    System.out.println("pair " + i + " (" + a + ", " + b + ") is not connected to itself: sent "
                            + Arrays.toString(token) + ", got " + Arrays.toString(got));
                    return;
                }
            } finally {
                p.first().close();
                p.second().close();
            }
        }
        long after = openDescriptors();
        System.out.println(after == before ? "ok" : "descriptors " + before + " before, " + after + " after");
    }

    private static long openDescriptors() throws IOException {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        }
    }

    @Test
    void socketPairsUnderASmallHeapAreRightAndLeakNothing() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = Files.createTempFile("jsock-pairs", ".err");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx24m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SocketPairStressTest.class.getName(), String.valueOf(PAIRS)))
                .redirectError(stderr.toFile()).start();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = Files.readString(stderr);
        Files.delete(stderr);
        assertTrue(ended, "the child JVM making " + PAIRS + " pairs did not end within 120 s: " + out + err);
        assertEquals(0, child.exitValue(), "exit status of the child JVM: " + out + err);
        assertArrayEquals(new String[] {"ok"}, out.lines().toArray(String[]::new), PAIRS + " socket pairs under -Xmx24m (stderr: " + err + ")");
    }
}
