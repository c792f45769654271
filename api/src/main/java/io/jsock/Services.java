package io.jsock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The services database, {@code /etc/services}, read as glibc's files backend reads it: in file order, first match wins. */
final class Services {
    private static final Path FILE = Path.of("/etc/services");

    /** One line: {@code name port/proto aliases...}. */
    record Entry(String name, int port, String proto, List<String> aliases) {
        boolean named(String service) {
            return name.equals(service) || aliases.contains(service);
        }
    }

    private Services() {
    }

    /** The entries of {@code /etc/services}; none when it cannot be read, as getservbyname then finds nothing. */
    static List<Entry> entries() {
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException unreadable) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String[] fields = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            int slash = fields[1].indexOf('/');
            if (slash <= 0 || slash == fields[1].length() - 1) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(fields[1].substring(0, slash));
            } catch (NumberFormatException malformed) {
                continue;
            }
            if (port < 0 || port > 65535) {
                continue;
            }
            entries.add(new Entry(fields[0], port, fields[1].substring(slash + 1),
                    List.copyOf(Arrays.asList(fields).subList(2, fields.length))));
        }
        return entries;
    }

    /** The first entry named {@code service} (or with it as an alias) for {@code proto} (null: any), or null. */
    static Entry byName(String service, String proto) {
        for (Entry e : entries()) {
            if (e.named(service) && (proto == null || e.proto.equals(proto))) {
                return e;
            }
        }
        return null;
    }

    /** The first entry for {@code port} and {@code proto} (null: any), or null. */
    static Entry byPort(int port, String proto) {
        for (Entry e : entries()) {
            if (e.port == port && (proto == null || e.proto.equals(proto))) {
                return e;
            }
        }
        return null;
    }
}
