package io.jsock.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cli/target/jsock}, the launcher the build puts beside jsock.jar (from {@code src/main/sh/jsock}). */
class LauncherTest {
    private static final Path SCRIPT = Path.of("src", "main", "sh", "jsock");

    @TempDir
    Path dir;

    @Test
    void theLauncherRunsTheJarBesideItEvenThroughALinkAndPassesJavaOpts() throws Exception {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " must be executable: the build copies it with its mode");
        Path bin = Files.createDirectories(dir.resolve("lib"));
        Path launcher = Files.copy(SCRIPT, bin.resolve("jsock"), StandardCopyOption.COPY_ATTRIBUTES);
        jar(bin.resolve("jsock.jar"));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("bin")).resolve("jsock"), launcher);

        assertEquals("jsock " + Main.version() + "\n", run(List.of(launcher.toString(), "--version"), null));
        assertEquals("jsock " + Main.version() + "\n", run(List.of(link.toString(), "--version"), null), "through a link");
        String providers = run(List.of(link.toString(), "providers"), "-Djsock.provider=nope");
        assertTrue(providers.startsWith("warning: -Djsock.provider=nope names no installed provider"), "JAVA_OPTS reach the JVM: " + providers);
    }

    /** A stand-in for jsock.jar: a manifest naming Main and this JVM's class path, and native access as jsock.jar's gives it. */
    private static void jar(Path jar) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        // as jsock.jar's: providers asks the kernel which protocols it has (MPTCP, UDP-Lite), through FFM on JDK 22+
        m.getMainAttributes().put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        List<String> urls = new ArrayList<>();
        for (String entry : Child.classPath().split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toString());
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, m)) {
            out.flush();
        }
    }

    private String run(List<String> command, String javaOpts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        if (javaOpts != null) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
