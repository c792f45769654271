package io.jsock.core;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which backend the system is called through: FFM from JDK 22 on, jffi on JDK 17 to 21, and
 * {@code -Djsock.backend} forcing either; a wrong choice is the first socket call's error, naming
 * the property. Each forced choice runs in a {@link ChildJvm}, as the property is read once.
 */
class BackendChoiceTest {

    @Test
    void ffmIsTheDefaultFromJdk22AndJffiBefore() {
        assertEquals(Runtime.version().feature() >= Sys.FFM_JDK ? "ffm" : "jffi", NativeSocket.backend(),
                "the backend on JDK " + Runtime.version());
    }

    @Test
    void jsockBackendJffiForcesJffi(@TempDir Path work) throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of(), ChildJvm.ownJava(), List.of("-Djsock.backend=jffi"), Map.of(), work);
        assertEquals(List.of("ok jffi hello"), r.lines(), "-Djsock.backend=jffi on JDK " + Runtime.version().feature() + ": " + r);
    }

    @Test
    void jsockBackendFfmForcesFfmAndLoadsNoJffiClass(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(ChildJvm.classPathHasFfm(), "this build has no FFM backend (Maven ran on JDK "
                + Runtime.version().feature() + ")");
        Path java = ChildJvm.java(Sys.FFM_JDK, Integer.MAX_VALUE).orElse(null);
        Assumptions.assumeTrue(java != null, "no JDK 22 or later here or in " + ChildJvm.jdkDirectory());
        ChildJvm.Result r = ChildJvm.run(List.of(), java, List.of("-Djsock.backend=ffm"), Map.of(), work);
        assertAll(java + " -Djsock.backend=ffm: " + r,
                () -> assertEquals(List.of("ok ffm hello"), r.lines(), "the child's socketpair, and no warning"),
                () -> assertEquals(List.of(), r.jffiClasses(), "jffi classes loaded"));
    }

    @Test
    void jsockBackendFfmBeforeJdk22FailsNamingTheJdkItNeeds(@TempDir Path work) throws Exception {
        Path java = ChildJvm.java(17, Sys.FFM_JDK - 1).orElse(null);
        Assumptions.assumeTrue(java != null, "no JDK 17 to 21 here or in " + ChildJvm.jdkDirectory());
        ChildJvm.Result r = ChildJvm.run(List.of(), java, List.of("-Djsock.backend=ffm"), Map.of(), work);
        String expected = "error io.jsock.SocketError: [Errno 95 EOPNOTSUPP] socketpair(AF_UNIX, SOCK_STREAM, 0):"
                + " -Djsock.backend=ffm needs JDK 22 or later, and this is JDK ";
        assertEquals(2, r.lines().size(), java + " -Djsock.backend=ffm: " + r);
        assertTrue(r.lines().get(0).startsWith(expected), java + " -Djsock.backend=ffm: " + r);
        assertEquals(r.lines().get(0), r.lines().get(1), "the second call fails as the first did: " + r);
    }

    /**
     * A fat jar that merged jsock-core's classes but dropped {@code Multi-Release: true}: the JVM reads
     * no versions/22, so the default is jffi, and forcing FFM says what the jar lacks.
     */
    @Test
    void aJarWithoutMultiReleaseFallsBackToJffiAndForcedFfmNamesTheAttribute(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(ChildJvm.classPathHasFfm(), "this build has no FFM backend (Maven ran on JDK "
                + Runtime.version().feature() + ")");
        Path java = ChildJvm.java(Sys.FFM_JDK, Integer.MAX_VALUE).orElse(null);
        Assumptions.assumeTrue(java != null, "no JDK 22 or later here or in " + ChildJvm.jdkDirectory());
        Path classes = Path.of(Sys.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path versioned = classes.resolve("META-INF/versions/22");
        Path fat = work.resolve("fat.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(fat), new Manifest());
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
        String classPath = Stream.concat(Stream.of(fat.toString()), Arrays.stream(System.getProperty("java.class.path")
                        .split(File.pathSeparator)).filter(e -> !Path.of(e).equals(classes) && !Path.of(e).equals(versioned)))
                .collect(Collectors.joining(File.pathSeparator));

        ChildJvm.Result byDefault = ChildJvm.run(List.of(), java, List.of(), Map.of(), work, classPath);
        ChildJvm.Result forced = ChildJvm.run(List.of(), java, List.of("-Djsock.backend=ffm"), Map.of(), work, classPath);

        assertEquals(List.of("ok jffi hello"), byDefault.lines(), "the default in a jar without Multi-Release: " + byDefault);
        assertEquals(2, forced.lines().size(), "-Djsock.backend=ffm in a jar without Multi-Release: " + forced);
        assertTrue(forced.lines().get(0).startsWith("error io.jsock.SocketError: [Errno 95 EOPNOTSUPP] socketpair(AF_UNIX,"
                + " SOCK_STREAM, 0): jsock's FFM backend is in META-INF/versions/22/io/jsock/core/FfmBackend.class of a jar whose"
                + " manifest lacks \"Multi-Release: true\""), "-Djsock.backend=ffm in a jar without Multi-Release: " + forced);
    }

    @Test
    void anUnknownBackendIsEinvalNamingTheChoices(@TempDir Path work) throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of(), ChildJvm.ownJava(), List.of("-Djsock.backend=jni"), Map.of(), work);
        assertEquals(List.of("error io.jsock.SocketError: [Errno 22 EINVAL] socketpair(AF_UNIX, SOCK_STREAM, 0):"
                        + " -Djsock.backend=jni names no backend: set it to jffi or ffm (JDK 22+), or leave it unset",
                "error io.jsock.SocketError: [Errno 22 EINVAL] socketpair(AF_UNIX, SOCK_STREAM, 0):"
                        + " -Djsock.backend=jni names no backend: set it to jffi or ffm (JDK 22+), or leave it unset"),
                r.lines(), "-Djsock.backend=jni: " + r);
    }
}
