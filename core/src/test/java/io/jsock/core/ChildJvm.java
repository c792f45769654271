package io.jsock.core;

import io.jsock.SocketError;
import io.jsock.SocketPair;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.jsock.AddressFamily.AF_UNIX;
import static io.jsock.SocketType.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM on this test class path that opens a socketpair and sends five bytes across, and the
 * JDKs to run it on: this one, or one installed beside it (the directory that holds
 * {@code java.home}, {@code /usr/lib/jvm} on Debian), found by its {@code release} file.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The child: "ok BACKEND hello", or the SocketError of the first call and of a second one. */
    public static void main(String[] args) {
        for (int call = 0; call < 2; call++) {
            try (SocketPair p = NativeSocket.openPair(AF_UNIX, SOCK_STREAM, 0)) {
                p.first().sendAll("hello".getBytes(StandardCharsets.US_ASCII));
                System.out.println("ok " + NativeSocket.backend() + " " + new String(p.second().recv(16), StandardCharsets.US_ASCII));
                return;
            } catch (SocketError e) {
                System.out.println("error " + e);
            }
        }
    }

    /** What the child printed, its exit status, and the jffi classes it loaded (-Xlog:class+load). */
    record Result(int exit, List<String> lines, List<String> jffiClasses, String output) {
        @Override
        public String toString() {
            return "exit " + exit + ", output:\n" + output;
        }
    }

    /**
     * Runs the child with {@code java} and {@code flags}, after {@code wrapper} (a command that runs
     * its arguments, or nothing), with {@code env} added to the environment.
     */
    static Result run(List<String> wrapper, Path java, List<String> flags, Map<String, String> env, Path work) throws Exception {
        return run(wrapper, java, flags, env, work, System.getProperty("java.class.path"));
    }

    /** {@link #run(List, Path, List, Map, Path)} on {@code classPath}. */
    static Result run(List<String> wrapper, Path java, List<String> flags, Map<String, String> env, Path work, String classPath)
            throws Exception {
        Path classLog = Files.createTempFile(work, "class-load", ".log");
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info:file=" + classLog));
        command.addAll(flags);
        command.addAll(List.of("-cp", classPath, ChildJvm.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = read(p.getInputStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the child JVM did not end within 120 s: " + out);
        }
        List<String> jffi;
        try (Stream<String> log = Files.lines(classLog)) {
            jffi = log.filter(l -> l.contains("com.kenai.jffi")).collect(Collectors.toList());
        }
        return new Result(p.exitValue(), out.lines().collect(Collectors.toList()), jffi, out);
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    static Path ownJava() {
        return javaOf(Path.of(System.getProperty("java.home")));
    }

    /** Where JDKs are installed side by side: the directory holding this one. */
    static Path jdkDirectory() {
        return Path.of(System.getProperty("java.home")).getParent();
    }

    /** This JDK's java if its feature version is in [min, max], else the newest such JDK's beside it. */
    static Optional<Path> java(int min, int max) throws IOException {
        int own = Runtime.version().feature();
        if (own >= min && own <= max) {
            return Optional.of(ownJava());
        }
        Path best = null;
        int bestFeature = 0;
        try (Stream<Path> homes = Files.list(jdkDirectory())) {
            for (Path home : (Iterable<Path>) homes::iterator) {
                int feature = feature(home);
                if (feature >= min && feature <= max && feature > bestFeature && Files.isExecutable(javaOf(home))) {
                    best = home;
                    bestFeature = feature;
                }
            }
        }
        return Optional.ofNullable(best).map(ChildJvm::javaOf);
    }

    private static Path javaOf(Path home) {
        return home.resolve("bin").resolve("java");
    }

    /** The feature version in a JDK's release file (JAVA_VERSION="17.0.15"), 0 without one. */
    private static int feature(Path home) throws IOException {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            if (line.startsWith("JAVA_VERSION=\"")) {
                String version = line.substring("JAVA_VERSION=\"".length());
                int end = 0;
                while (end < version.length() && Character.isDigit(version.charAt(end))) {
                    end++;
                }
                return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
            }
        }
        return 0;
    }

    /** Whether the class path a child gets holds the FFM backend (in a directory, or in a jar's versions/22). */
    static boolean classPathHasFfm() throws IOException {
        String entry = "io/jsock/core/FfmBackend.class";
        for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(element);
            if (Files.isDirectory(path) && Files.exists(path.resolve(entry))) {
                return true;
            }
            if (Files.isRegularFile(path) && element.endsWith(".jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    if (jar.getEntry("META-INF/versions/22/" + entry) != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
