package io.jsock.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A module the build publishes cannot be left out of the BOM or the README's coordinates. */
class PublishedArtifactsTest {
    /** The repository's root: surefire runs in the module's folder. */
    private static final Path ROOT = Path.of("..");

    @Test
    void theBomManagesEveryPublishedArtifact() throws IOException {
        String managed = section(Files.readString(ROOT.resolve("bom/pom.xml")), "dependencyManagement");
        List<String> missing = new ArrayList<>();
        for (String artifactId : published()) {
            if (!managed.contains("<artifactId>" + artifactId + "</artifactId>")) {
                missing.add(artifactId);
            }
        }
        assertEquals(List.of(), missing, "published artifacts missing from bom/pom.xml");
    }

    @Test
    void theReadmeGivesTheCoordinatesOfEveryPublishedArtifact() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String artifactId : published()) {
            if (!readme.contains("io.jsock:" + artifactId + ":")) {
                missing.add(artifactId);
            }
        }
        assertEquals(List.of(), missing, "published artifacts whose coordinates README.md does not give");
    }

    /**
     * The modules the reactor has built before this one (cli comes last but bench): each sources
     * jar holds every source file of the module, java22's FFM backend of core included, at its
     * package path.
     */
    @Test
    void everySourcesJarHoldsEverySourceFile() throws IOException {
        List<String> missing = new ArrayList<>();
        int jars = 0;
        for (String module : List.of("api", "core", "tck", "impl-inet", "impl-datagram", "impl-unix")) {
            Path dir = ROOT.resolve(module);
            Path jar;
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir.resolve("target")), module + " is not built in this run");
            try (var found = Files.list(dir.resolve("target"))) {
                jar = found.filter(f -> f.getFileName().toString().endsWith("-sources.jar")).findFirst().orElse(null);
            }
            if (jar == null) {
                boolean packaged;
                try (var found = Files.list(dir.resolve("target"))) {
                    packaged = found.anyMatch(f -> f.getFileName().toString().matches("jsock-.*-SNAPSHOT\\.jar|jsock-[a-z-]+-[0-9.]+\\.jar"));
                }
                // a run that stops before the package phase (mvn test) has no jars at all to read
                org.junit.jupiter.api.Assumptions.assumeTrue(packaged, module + " is not packaged in this run");
                missing.add(module + ": a jar but no sources jar in target/");
                continue;
            }
            jars++;
            List<String> entries = new ArrayList<>();
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                zip.stream().forEach(e -> entries.add(e.getName()));
            }
            for (String root : List.of("src/main/java", "src/main/java22")) {
                Path sources = dir.resolve(root);
                if (!Files.isDirectory(sources)) {
                    continue;
                }
                try (var walk = Files.walk(sources)) {
                    for (Path f : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                        String entry = sources.relativize(f).toString().replace('\\', '/');
                        if (!entries.contains(entry)) {
                            missing.add(module + ": " + root + "/" + entry);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "source files missing from the sources jars (" + jars + " jars read)");
    }

    /** The artifactId of every module of the root POM that is deployed, the BOM aside. */
    private static List<String> published() throws IOException {
        List<String> ids = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(section(Files.readString(ROOT.resolve("pom.xml")), "modules"));
        while (module.find()) {
            String pom = Files.readString(ROOT.resolve(module.group(1).trim()).resolve("pom.xml"));
            // the module's own artifactId is the first one outside <parent>
            Matcher id = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(pom.replaceFirst("(?s)<parent>.*?</parent>", ""));
            assertTrue(id.find(), "no artifactId in " + module.group(1) + "/pom.xml");
            if (!pom.contains("<maven.deploy.skip>true</maven.deploy.skip>") && !id.group(1).equals("jsock-bom")) {
                ids.add(id.group(1));
            }
        }
        assertFalse(ids.isEmpty(), "the root pom.xml lists no published module");
        return ids;
    }

    private static String section(String xml, String element) {
        Matcher m = Pattern.compile("(?s)<" + element + ">(.*?)</" + element + ">").matcher(xml);
        return m.find() ? m.group(1) : "";
    }
}
