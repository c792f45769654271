package io.jsock;

import io.jsock.spi.SocketProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finding providers and choosing one for a triple, as SLF4J finds its binding: what cannot be
 * loaded is reported once and left out, never thrown at the caller of {@link Sockets#socket}.
 * The rule itself is documented on {@link Sockets}.
 */
final class Discovery {
    /** The providers jsock ships; they win a tie of priorities against any other. */
    static final Set<String> BUILT_IN = Set.of(
            "io.jsock.inet.InetProvider", "io.jsock.datagram.DatagramProvider", "io.jsock.unix.UnixProvider",
            "io.jsock.raw.RawProvider");

    private static final String SERVICE_FILE = "META-INF/services/" + SocketProvider.class.getName();

    /** A bound on a service iterator that keeps failing, so a broken loader cannot make us spin. */
    private static final int MAX_ENTRIES = 10_000;

    /** What was reported already: each problem once per JVM, however many class loaders see it. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    /** Best first: higher priority, then a built-in provider before another, then by name, then by class. */
    static final Comparator<SocketProvider> ORDER = Comparator
            .comparingInt(SocketProvider::priority).reversed()
            .thenComparing(p -> !isBuiltIn(p))
            .thenComparing(SocketProvider::name)
            .thenComparing(p -> p.getClass().getName());

    private Discovery() {
    }

    static boolean isBuiltIn(SocketProvider p) {
        return BUILT_IN.contains(p.getClass().getName());
    }

    /**
     * The usable providers that {@code loader} sees, best first. A service entry that cannot be
     * loaded or instantiated, a provider whose {@code name()}, {@code priority()} or
     * {@code supports()} throws, and a second provider of a name already taken are each reported
     * once on stderr and left out; equal priorities for one triple are reported once too.
     */
    static List<SocketProvider> load(ClassLoader loader) {
        ClassLoader effective = loader == null ? Sockets.class.getClassLoader() : loader;
        ServiceLoader<SocketProvider> services = ServiceLoader.load(SocketProvider.class, effective);
        List<SocketProvider> usable = new ArrayList<>();
        Iterator<SocketProvider> it = services.iterator();
        Map<String, List<String>> listed = null;
        for (int entries = 0; entries < MAX_ENTRIES; entries++) {
            SocketProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // a missing class, a missing dependency of it, a constructor that throws: this entry only
                if (listed == null) {
                    listed = listedClasses(effective);
                }
                report("jsock: skipped a provider" + origin(e, listed) + ": " + oneLine(e));
                continue;
            }
            String problem = check(p);
            if (problem != null) {
                report("jsock: skipped provider " + p.getClass().getName() + " (" + location(p.getClass()) + "): " + problem);
                continue;
            }
            usable.add(p);
        }
        usable.sort(ORDER);
        List<SocketProvider> unique = new ArrayList<>();
        Map<String, SocketProvider> byName = new LinkedHashMap<>();
        for (SocketProvider p : usable) {
            SocketProvider first = byName.putIfAbsent(p.name(), p);
            if (first == null) {
                unique.add(p);
            } else if (first.getClass() != p.getClass()) {
                report("jsock: skipped provider " + p.getClass().getName() + " (" + location(p.getClass()) + "): its name '"
                        + p.name() + "' is taken by " + first.getClass().getName() + " (" + location(first.getClass()) + ")");
            }
        }
        reportTies(unique);
        return List.copyOf(unique);
    }

    /**
     * The provider {@code Sockets.socket(family, type, proto)} opens with: the one that
     * {@code forced} names if it supports the triple, else the first of {@code installed} (best
     * first) that does; null if none does.
     *
     * @throws IllegalArgumentException if {@code forced} names no installed provider
     */
    static SocketProvider choose(List<SocketProvider> installed, String forced, AddressFamily family, SocketType type, int proto) {
        if (forced != null && !forced.isBlank()) {
            SocketProvider p = byName(installed, forced.strip());
            if (p.supports(family, type, proto)) {
                return p;
            }
        }
        for (SocketProvider p : installed) {
            if (p.supports(family, type, proto)) {
                return p;
            }
        }
        return null;
    }

    static SocketProvider byName(List<SocketProvider> installed, String name) {
        for (SocketProvider p : installed) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("name: no provider '" + name + "' is installed; installed: "
                + (installed.isEmpty() ? "none" : installed.stream().map(SocketProvider::name).collect(Collectors.joining(", "))));
    }

    /** Why the provider cannot be used, or null: each method the choice calls must answer. */
    private static String check(SocketProvider p) {
        try {
            String name = p.name();
            if (name == null || name.isBlank()) {
                return "name() is " + (name == null ? "null" : "blank");
            }
            p.priority();
            for (AddressFamily f : AddressFamily.values()) {
                for (SocketType t : SocketType.values()) {
                    p.supports(f, t, Protocols.DEFAULT);
                }
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            return "it threw " + oneLine(e);
        }
    }

    /**
     * One warning per set of providers that share the best priority for some triples: which one
     * is used and why.
     */
    private static void reportTies(List<SocketProvider> installed) {
        Map<List<SocketProvider>, List<String>> ties = new LinkedHashMap<>();
        for (AddressFamily f : AddressFamily.values()) {
            for (SocketType t : SocketType.values()) {
                List<SocketProvider> tied = tied(installed, f, t);
                if (tied.size() > 1) {
                    ties.computeIfAbsent(tied, k -> new ArrayList<>()).add(f + " " + t);
                }
            }
        }
        for (Map.Entry<List<SocketProvider>, List<String>> tie : ties.entrySet()) {
            List<SocketProvider> tied = tie.getKey();
            String names = tied.stream().map(SocketProvider::name).collect(Collectors.joining(", "));
            report("jsock: warning: providers " + names + " have the same priority " + tied.get(0).priority() + " for "
                    + String.join(", ", tie.getValue()) + "; " + tied.get(0).name() + " is used (a built-in provider wins a tie,"
                    + " then the first name in alphabetical order); give one a higher priority() or set -D"
                    + Sockets.PROVIDER_PROPERTY + "=NAME");
        }
    }

    /**
     * The providers that share the best priority among those supporting the triple with the
     * default protocol, best first; one or none when there is no tie.
     */
    static List<SocketProvider> tied(List<SocketProvider> installed, AddressFamily f, SocketType t) {
        List<SocketProvider> tied = new ArrayList<>();
        for (SocketProvider p : installed) {
            if (p.supports(f, t, Protocols.DEFAULT)) {
                if (!tied.isEmpty() && p.priority() != tied.get(0).priority()) {
                    break;
                }
                tied.add(p);
            }
        }
        return tied;
    }

    private static void report(String line) {
        if (REPORTED.add(line)) {
            PrintStream err = System.err;
            err.println(line);
            err.flush();
        }
    }

    // ---- where a provider comes from ------------------------------------------------------

    /** Each class name the service files list, with the jars or folders that list it. */
    private static Map<String, List<String>> listedClasses(ClassLoader loader) {
        Map<String, List<String>> listed = new LinkedHashMap<>();
        try {
            Enumeration<URL> files = loader.getResources(SERVICE_FILE);
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        int hash = line.indexOf('#');
                        String name = (hash < 0 ? line : line.substring(0, hash)).strip();
                        if (!name.isEmpty()) {
                            listed.computeIfAbsent(name, k -> new ArrayList<>()).add(container(file));
                        }
                    }
                } catch (IOException unreadable) {
                    listed.computeIfAbsent("", k -> new ArrayList<>()).add(container(file));
                }
            }
        } catch (IOException e) {
            // no listing: the report names no jar
        }
        return listed;
    }

    /**
     * {@code " com.example.Broken (/path/broken.jar)"}: the listed class the error names, and
     * where it is listed; empty when the error names none of them.
     */
    private static String origin(Throwable e, Map<String, List<String>> listed) {
        String best = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).replace('/', '.');
            for (Map.Entry<String, List<String>> entry : listed.entrySet()) {
                String name = entry.getKey();
                if (!name.isEmpty() && containsWord(message, name) && (best == null || name.length() > best.length())) {
                    best = name;
                }
            }
            if (best != null) {
                break;
            }
        }
        if (best == null) {
            return "";
        }
        return " " + best + " (" + String.join(", ", listed.get(best)) + ")";
    }

    private static boolean containsWord(String text, String name) {
        for (int i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
            int end = i + name.length();
            boolean before = i == 0 || !Character.isJavaIdentifierPart(text.charAt(i - 1)) && text.charAt(i - 1) != '.';
            boolean after = end == text.length() || !Character.isJavaIdentifierPart(text.charAt(end)) && text.charAt(end) != '$';
            if (before && after) {
                return true;
            }
        }
        return false;
    }

    /** The jar or folder a service file is in: {@code /path/x.jar} for {@code jar:file:/path/x.jar!/META-INF/...}. */
    private static String container(URL file) {
        String s = file.toString();
        if (s.startsWith("jar:")) {
            int bang = s.indexOf("!/");
            s = bang < 0 ? s.substring(4) : s.substring(4, bang);
        } else if (s.endsWith(SERVICE_FILE)) {
            s = s.substring(0, s.length() - SERVICE_FILE.length());
        }
        return path(s);
    }

    private static String location(Class<?> c) {
        try {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                return path(source.getLocation().toString());
            }
        } catch (SecurityException ignored) {
            // no code source to name
        }
        return c.getModule().isNamed() ? "module " + c.getModule().getName() : "unknown location";
    }

    private static String path(String url) {
        try {
            URI uri = new URI(url);
            if ("file".equals(uri.getScheme())) {
                return Path.of(uri).toString();
            }
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
            // shown as it is
        }
        return url;
    }

    /** {@code Type: message (caused by Type: message)}, on one line. */
    private static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder(e instanceof ServiceConfigurationError ? String.valueOf(e.getMessage()) : e.toString());
        Throwable root = e.getCause();
        for (int depth = 0; root != null && depth < 8; depth++, root = root.getCause()) {
            sb.append(" (caused by ").append(root).append(')');
        }
        return sb.toString().replace('\n', ' ').replace('\r', ' ');
    }
}
