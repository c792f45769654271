package io.jsock.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** CPython as the peer: {@code python3 -c SCRIPT ARGS...}. */
final class Python {
    static final Duration LIMIT = Duration.ofSeconds(30);

    /**
     * Turns the command line's FAMILY and ADDRESS into Python's: {@code family_of(name)} and
     * {@code address_of(family, text)} ({@code host:port}, {@code [v6]:port}, a path, {@code @name}).
     */
    static final String PRELUDE = String.join("\n",
            "import socket, sys, threading, os",
            "def family_of(name):",
            "    return {'AF_INET': socket.AF_INET, 'AF_INET6': socket.AF_INET6, 'AF_UNIX': socket.AF_UNIX}[name]",
            "def address_of(family, text):",
            "    if family == socket.AF_UNIX:",
            "        return '\\0' + text[1:] if text.startswith('@') else text",
            "    host, port = text.rsplit(':', 1)",
            "    return (host.strip('[]'), int(port))",
            "def text_of(family, address):",
            "    if family == socket.AF_UNIX:",
            "        return '@' + address[1:] if address.startswith('\\0') else address",
            "    return ('[%s]:%d' if family == socket.AF_INET6 else '%s:%d') % address[:2]",
            "");

    private Python() {
    }

    static void assumeInstalled() {
        boolean found;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import socket").redirectErrorStream(true).start();
            found = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            p.destroyForcibly();
        } catch (IOException e) {
            found = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            found = false;
        }
        Assumptions.assumeTrue(found, "python3 is not installed: the end-to-end tests use CPython as the peer");
    }

    /** Runs a script to its end; fails unless it exits 0 within the limit; returns its stdout. */
    static String run(String script, String... args) throws Exception {
        Process p = start(script, args);
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("python3 peer did not finish within " + LIMIT);
            }
            String stdout = out.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), "python3 peer's exit status; stdout: " + stdout + "; stderr: " + err.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
            return stdout;
        } finally {
            p.destroyForcibly();
        }
    }

    /** A long-running peer; the caller destroys it. */
    static Process start(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", PRELUDE + script));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    /** The first line a peer prints (its address), within the limit. */
    static String firstLine(Process p) throws InterruptedException, ExecutionException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            String l = line.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (l == null) {
                fail("python3 peer ended before printing its address; stderr: " + read(p.getErrorStream()));
            }
            return l;
        } catch (TimeoutException e) {
            p.destroyForcibly();
            fail("python3 peer printed no address within " + LIMIT);
            return null;
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
