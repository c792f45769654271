package io.jsock.core;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Behind a noexec {@code /tmp}: jffi unpacks its stub library into {@code java.io.tmpdir} (or the
 * working directory), and the kernel refuses to map it from a noexec mount; the FFM backend loads no
 * library at all. Each case runs a {@link ChildJvm} in a private mount namespace ({@code unshare -m})
 * whose {@code java.io.tmpdir}, {@code TMPDIR} and working directory are one fresh noexec tmpfs, and
 * lists that tmpfs after the child has ended, inside the namespace (no one else can see it).
 */
class NoExecTmpTest {
    /** Mounts the tmpfs on $NOEXEC, checks it refuses to execute, runs "$@" there, then lists what is left. */
    private static final String MOUNT_AND_RUN = String.join("\n",
            "mount -t tmpfs -o noexec,nosuid,nodev,size=16m jsock-noexec \"$NOEXEC\" || exit 97",
            "cd \"$NOEXEC\" || exit 97",
            "cp /bin/true probe && ./probe 2>/dev/null && { echo '== exec allowed: the case would prove nothing'; exit 98; }",
            "rm -f probe",
            "\"$@\"",
            "status=$?",
            "find \"$NOEXEC\" -mindepth 1 | sed 's/^/== file /'",
            "exit $status");

    private static String unshareProblem;

    @BeforeAll
    static void probeUnshare() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true").redirectErrorStream(true).start();
            String out = ChildJvm.read(p.getInputStream());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                unshareProblem = "unshare -m fails here (a mount namespace needs root or CAP_SYS_ADMIN): " + out.strip();
            }
        } catch (IOException e) {
            unshareProblem = "no unshare(1) here: " + e.getMessage();
        }
    }

    @Test
    void ffmBackendWorksBehindANoexecTmpAndLeavesNoFile(@TempDir Path work) throws Exception {
        requireUnshare();
        Assumptions.assumeTrue(ChildJvm.classPathHasFfm(), "this build has no FFM backend (Maven ran on JDK "
                + Runtime.version().feature() + ", which compiles no src/main/java22): the run under JDK 22+ checks it");
        Path java = ChildJvm.java(22, Integer.MAX_VALUE).orElse(null);
        Assumptions.assumeTrue(java != null, "no JDK 22 or later here or in " + ChildJvm.jdkDirectory());

        Behind r = runBehindNoexec(work, java, List.of());

        assertAll(java + " behind a noexec java.io.tmpdir and working directory: " + r.child,
                () -> assertEquals(List.of("ok ffm hello"), r.lines, "the child's socketpair, on the FFM backend, and nothing else"),
                () -> assertEquals(List.of(), r.files, "files the child left in the noexec tmpfs"),
                () -> assertEquals(List.of(), r.child.jffiClasses(), "jffi classes loaded (they unpack its library)"));
    }

    @Test
    void jffiBehindANoexecTmpFailsWithOneErrorNamingWhatToSet(@TempDir Path work) throws Exception {
        requireUnshare();
        Path java = ChildJvm.java(17, 21).orElse(null);
        List<String> flags = java != null ? List.of() : List.of("-D" + Sys.BACKEND_PROPERTY + "=jffi"); // none beside: forced here
        Path jvm = java != null ? java : ChildJvm.ownJava();

        Behind r = runBehindNoexec(work, jvm, flags);

        assertEquals(2, r.lines.size(), "two socket calls, two lines of error: " + r.child);
        String first = r.lines.get(0);
        assertAll(jvm + " " + flags + " behind a noexec java.io.tmpdir and working directory: " + r.child,
                () -> assertTrue(first.startsWith("error io.jsock.SocketError: [Errno 79 ELIBACC] socketpair(AF_UNIX, SOCK_STREAM, 0):"
                        + " the jffi backend cannot load its native library ("), "the first call's error: " + first),
                () -> assertTrue(first.contains("noexec"), "the error says what is wrong: " + first),
                () -> assertTrue(flags.isEmpty()
                        ? first.contains("-Djava.io.tmpdir") && first.contains("-Djffi.boot.library.path")
                        : first.contains("-D" + Sys.BACKEND_PROPERTY), "the error names the property to set: " + first),
                () -> assertFalse(first.contains("UnsatisfiedLinkError") || first.contains("ExceptionInInitializerError"),
                        "the error is one sentence of jsock's, not jffi's exception: " + first),
                () -> assertEquals(first, r.lines.get(1), "the second call fails as the first did (no NoClassDefFoundError)"),
                () -> assertFalse(r.child.jffiClasses().isEmpty(), "jffi's classes in the class-load log, which the FFM case"
                        + " reads for their absence"));
    }

    @Test
    void jffiBehindANoexecTmpWorksWithItsLibraryOnJffiBootLibraryPath(@TempDir Path work) throws Exception {
        requireUnshare();
        Path java = ChildJvm.java(17, 21).orElse(null);
        List<String> flags = new ArrayList<>();
        if (java == null) {
            flags.add("-D" + Sys.BACKEND_PROPERTY + "=jffi");
        }
        Path lib = Files.createDirectories(work.resolve("lib"));
        extractJffiLibrary(lib);
        flags.add("-Djffi.boot.library.path=" + lib);
        Path jvm = java != null ? java : ChildJvm.ownJava();

        Behind r = runBehindNoexec(work, jvm, flags);

        assertAll(jvm + " " + flags + " with jffi's library outside the noexec tmpfs: " + r.child,
                () -> assertEquals(List.of("ok jffi hello"), r.lines, "the child's socketpair, on jffi, and nothing else"),
                () -> assertEquals(List.of(), r.files, "files jffi unpacked into the noexec tmpfs"));
    }

    private static void requireUnshare() {
        if (unshareProblem != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(unshareProblem + " (CI=true: these cases must run)");
            }
            Assumptions.abort(unshareProblem);
        }
    }

    /** The child's run, its own lines (without the script's), and the files left in the tmpfs. */
    private record Behind(ChildJvm.Result child, List<String> lines, List<String> files) {
    }

    private static Behind runBehindNoexec(Path work, Path java, List<String> flags) throws Exception {
        Path noexec = Files.createDirectories(work.resolve("noexec"));
        List<String> all = new ArrayList<>(flags);
        all.add("-Djava.io.tmpdir=" + noexec);
        ChildJvm.Result r = ChildJvm.run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", MOUNT_AND_RUN, "sh"),
                java, all, Map.of("NOEXEC", noexec.toString(), "TMPDIR", noexec.toString()), work);
        assertTrue(r.exit() != 97 && r.exit() != 98, "no noexec tmpfs could be set up: " + r);
        assertEquals(0, r.exit(), "the child's exit status: " + r);
        List<String> files = r.lines().stream().filter(l -> l.startsWith("== file ")).map(l -> l.substring(8))
                .collect(Collectors.toList());
        List<String> own = r.lines().stream().filter(l -> !l.startsWith("== ")).collect(Collectors.toList());
        return new Behind(r, own, files);
    }

    /** jffi's own libjffi-1.2.so for this machine, from its native jar on the class path, into {@code dir}. */
    private static void extractJffiLibrary(Path dir) throws IOException {
        String arch = "amd64".equals(System.getProperty("os.arch")) ? "x86_64" : System.getProperty("os.arch");
        String entry = "jni/" + arch + "-Linux/libjffi-1.2.so";
        for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (element.endsWith(".jar") && element.contains("jffi")) {
                try (JarFile jar = new JarFile(element)) {
                    ZipEntry lib = jar.getEntry(entry);
                    if (lib != null) {
                        try (InputStream in = jar.getInputStream(lib)) {
                            Files.copy(in, dir.resolve("libjffi-1.2.so"));
                        }
                        return;
                    }
                }
            }
        }
        fail("no jar on the class path holds " + entry);
    }
}
