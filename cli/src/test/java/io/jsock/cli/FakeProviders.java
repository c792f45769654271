package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.spi.SocketProvider;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Providers that a test puts in a jar of its own, to be loaded with {@code --jar}. */
final class FakeProviders {
    private FakeProviders() {
    }

    /** Opens inet's sockets under another name and a lower priority: passes the TCK as inet does. */
    public static final class Wrapped implements SocketProvider {
        @Override
        public String name() {
            return "wrapped-inet";
        }

        @Override
        public int priority() {
            return -1;
        }

        @Override
        public boolean supports(AddressFamily family, SocketType type, int proto) {
            return family == AddressFamily.AF_INET && type == SocketType.SOCK_STREAM && proto == 0;
        }

        @Override
        public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
            return Sockets.provider("inet").open(family, type, proto);
        }
    }

    /** Claims AF_INET SOCK_STREAM with a high priority and opens nothing. */
    public static final class Refusing implements SocketProvider {
        @Override
        public String name() {
            return "refusing";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public boolean supports(AddressFamily family, SocketType type, int proto) {
            return family == AddressFamily.AF_INET && type == SocketType.SOCK_STREAM && proto == 0;
        }

        @Override
        public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
            throw SocketError.of(Errno.EPROTONOSUPPORT, "socket(" + family + ", " + type + ") by refusing");
        }
    }

    /**
     * Named to sort before "inet", at inet's priority 0, for inet's triple: it must not take the
     * triple from the built-in provider (it once did, silently).
     */
    public static final class Broken implements SocketProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public boolean supports(AddressFamily family, SocketType type, int proto) {
            return family == AddressFamily.AF_INET && type == SocketType.SOCK_STREAM && proto == 0;
        }

        @Override
        public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
            throw SocketError.of(Errno.EPERM, "socket(" + family + ", " + type + ") by broken");
        }
    }

    /** A jar with nothing but a service file naming the providers (their classes are on the test class path). */
    static Path jar(Path dir, String name, Class<?>... providers) throws IOException {
        String[] names = new String[providers.length];
        for (int i = 0; i < providers.length; i++) {
            names[i] = providers[i].getName();
        }
        return jar(dir, name, names);
    }

    /** A jar with nothing but a service file naming these classes, which may not exist. */
    static Path jar(Path dir, String name, String... providers) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/" + SocketProvider.class.getName()));
            StringBuilder names = new StringBuilder();
            for (String p : providers) {
                names.append(p).append('\n');
            }
            out.write(names.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
