package io.jsock.cli;

import io.jsock.Sockets;
import io.jsock.spi.SocketProvider;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The installed providers, with those of extra jars ({@code --jar}) added. */
final class Providers {
    private Providers() {
    }

    /** A class loader that sees the class path and each jar; the class path's own when there is none. */
    static ClassLoader withJars(List<String> jars) throws UsageError {
        ClassLoader base = Main.class.getClassLoader();
        if (jars.isEmpty()) {
            return base;
        }
        List<URL> urls = new ArrayList<>();
        for (String jar : jars) {
            Path p = Path.of(jar);
            if (!Files.isRegularFile(p)) {
                throw UsageError.bad("--jar", jar, Files.exists(p) ? "not a file" : "no such file");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw UsageError.bad("--jar", jar, e.getMessage());
            }
        }
        return new URLClassLoader("jsock --jar", urls.toArray(URL[]::new), base);
    }

    /**
     * Runs {@code body} with {@code loader} as the thread's context class loader, which is where
     * {@link Sockets#providers()} and the JUnit Platform look.
     */
    static <T> T in(ClassLoader loader, Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /**
     * {@link Sockets#providers()} as the context class loader sees them: best first, one per name,
     * without those that cannot be loaded (each reported once on stderr by {@link Sockets}).
     */
    static List<SocketProvider> installed() {
        return Sockets.providers();
    }
}
