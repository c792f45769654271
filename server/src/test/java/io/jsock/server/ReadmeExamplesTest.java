package io.jsock.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Serving many clients" examples compile, as a reader would paste them into a method. */
class ReadmeExamplesTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void servingManyClientsExamplesCompile() throws Exception {
        String text = Files.readString(README);
        int start = text.indexOf("\n## Serving many clients");
        assertTrue(start >= 0, "README.md has a \"Serving many clients\" section");
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
        Path dir = Files.createTempDirectory("readme-examples");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-d", dir.resolve("classes").toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"));
        int found = 0;
        while (block.find()) {
            found++;
            String code = block.group(1);
            if (Runtime.version().feature() < 21 && code.contains("newVirtualThreadPerTaskExecutor")) {
                continue; // a Java 21 API: compiled by the JDK 21+ run
            }
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String line : code.split("\n")) {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            String name = "ReadmeExample" + found;
            String source = imports + "class " + name + " {\n    static void run() throws Exception {\n" + body + "    }\n}\n";
            Path file = dir.resolve(name + ".java");
            Files.writeString(file, source);
            command.add(file.toString());
        }
        assertEquals(4, found, "the section's java examples: the chat server, the UDP and TCP servers, the thread per connection");
        try {
            Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
            String report = new String(javac.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(javac.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "javac did not finish");
            assertEquals(0, javac.exitValue(), "the README examples do not compile:\n" + report);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
