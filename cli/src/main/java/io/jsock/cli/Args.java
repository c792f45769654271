package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.SocketType;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A subcommand's arguments: options and positionals, as getopt reads them. An option with a value
 * is {@code --name VALUE}, {@code --name=VALUE}, {@code -n VALUE} or {@code -nVALUE}; flags
 * without a value may be grouped ({@code -lv}); {@code --} ends the options. Anything else that
 * starts with {@code -} is an unknown option, never a positional.
 */
final class Args {
    private static final Pattern NUMBER = Pattern.compile("\\d{1,5}");

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {
    }

    /**
     * The options a subcommand takes: each name (a long {@code --name}, a short {@code -n}) with
     * the canonical name it stands for and whether it takes a value.
     */
    static final class Spec {
        private final Map<String, String> canonical = new LinkedHashMap<>();
        private final Map<String, Boolean> takesValue = new LinkedHashMap<>();
        private final List<String> synopsis = new ArrayList<>();

        Spec() {
        }

        /** Options that each take one value, under their own names: {@code of("--jar", "--report")}. */
        static Spec of(String... valued) {
            Spec s = new Spec();
            for (String name : valued) {
                s.value(name, null, name.substring(2).toUpperCase(java.util.Locale.ROOT));
            }
            return s;
        }

        /** An option with a value: its long name, its short name or null, and the value's name for messages. */
        Spec value(String longName, String shortName, String valueName) {
            add(longName, shortName, true);
            synopsis.add((shortName != null ? shortName + "/" : "") + longName + " " + valueName);
            return this;
        }

        /** A flag: its long name and its short name or null. */
        Spec flag(String longName, String shortName) {
            add(longName, shortName, false);
            synopsis.add((shortName != null ? shortName + "/" : "") + longName);
            return this;
        }

        private void add(String longName, String shortName, boolean valued) {
            canonical.put(longName, longName);
            takesValue.put(longName, valued);
            if (shortName != null) {
                canonical.put(shortName, longName);
                takesValue.put(shortName, valued);
            }
        }

        private String known() {
            return synopsis.isEmpty() ? "this command takes no option" : "expected one of " + String.join(", ", synopsis);
        }
    }

    /**
     * @param args the arguments after the subcommand
     * @param spec the options the subcommand takes
     */
    static Args parse(List<String> args, Spec spec) throws UsageError {
        Args parsed = new Args();
        boolean onlyPositionals = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (onlyPositionals || !a.startsWith("-") || a.equals("-")) {
                parsed.positionals.add(a);
            } else if (a.equals("--")) {
                onlyPositionals = true;
            } else if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                String option = spec.canonical.get(name);
                if (option == null) {
                    throw UsageError.bad("option", name, spec.known());
                }
                if (!spec.takesValue.get(name)) {
                    if (eq >= 0) {
                        throw UsageError.bad("option", name, "takes no value");
                    }
                    parsed.values.computeIfAbsent(option, k -> new ArrayList<>()).add("");
                } else if (eq >= 0) {
                    parsed.add(option, a.substring(eq + 1));
                } else if (i + 1 < args.size()) {
                    parsed.add(option, args.get(++i));
                } else {
                    throw UsageError.bad("option", name, "needs a value");
                }
            } else {
                // -lv, -w5, -w 5
                for (int j = 1; j < a.length(); j++) {
                    String name = "-" + a.charAt(j);
                    String option = spec.canonical.get(name);
                    if (option == null) {
                        throw UsageError.bad("option", j == 1 ? a : name, spec.known());
                    }
                    if (!spec.takesValue.get(name)) {
                        parsed.values.computeIfAbsent(option, k -> new ArrayList<>()).add("");
                        continue;
                    }
                    if (j + 1 < a.length()) {
                        parsed.add(option, a.substring(j + 1));
                    } else if (i + 1 < args.size()) {
                        parsed.add(option, args.get(++i));
                    } else {
                        throw UsageError.bad("option", name, "needs a value");
                    }
                    break;
                }
            }
        }
        return parsed;
    }

    private void add(String option, String value) {
        values.computeIfAbsent(option, k -> new ArrayList<>()).add(value);
    }

    List<String> positionals() {
        return positionals;
    }

    /** Every value the option was given, in order. */
    List<String> all(String option) {
        return values.getOrDefault(option, List.of());
    }

    /** Whether the flag was given. */
    boolean flag(String option) {
        return values.containsKey(option);
    }

    /** The option's one value, or null; given twice is a usage error. */
    String single(String option) throws UsageError {
        List<String> given = all(option);
        if (given.size() > 1) {
            throw UsageError.bad("option", option, "given more than once");
        }
        return given.isEmpty() ? null : given.get(0);
    }

    /**
     * Exactly FAMILY TYPE ADDRESS. An address split in two ({@code 127.0.0.1 6254}) or given
     * without FAMILY and TYPE is answered with what was probably meant.
     */
    Target target(String command) throws UsageError {
        int n = positionals.size();
        String joined = n >= 2 ? splitAddress(positionals.get(n - 2), positionals.get(n - 1)) : null;
        if (n == 2 && joined != null && !Endpoints.isFamily(positionals.get(0))) {
            throw UsageError.hint("bad FAMILY " + UsageError.quote(positionals.get(0)) + ": " + command + " takes FAMILY TYPE ADDRESS",
                    "jsock " + command + " inet stream " + joined);
        }
        if (n < 3) {
            String missing = List.of("FAMILY", "TYPE", "ADDRESS").get(n);
            throw new UsageError("missing " + missing + ": " + command + " takes FAMILY TYPE ADDRESS");
        }
        AddressFamily family = Endpoints.family(positionals.get(0));
        SocketType type = Endpoints.type(positionals.get(1));
        if (n == 4 && joined != null && family != AddressFamily.AF_UNIX) {
            throw UsageError.hint("bad ADDRESS " + UsageError.quote(positionals.get(2)) + ": expected host:port", joined);
        }
        if (n > 3) {
            throw UsageError.bad("argument", positionals.get(3), command + " takes FAMILY TYPE ADDRESS and nothing more");
        }
        return new Target(family, type, Endpoints.address(family, positionals.get(2)));
    }

    /** {@code 127.0.0.1:6254} for {@code 127.0.0.1} and {@code 6254}; {@code [::1]:80} for {@code ::1} and {@code 80}; else null. */
    private static String splitAddress(String host, String port) {
        if (!NUMBER.matcher(port).matches() || host.isEmpty() || host.startsWith("@") || host.startsWith("/")) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return host + ":" + port;
        }
        if (host.contains(":")) {
            boolean v6 = host.indexOf(':') != host.lastIndexOf(':') && host.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
            return v6 ? "[" + host + "]:" + port : null;
        }
        return host.matches("[A-Za-z0-9.-]+") ? host + ":" + port : null;
    }

    /** FAMILY TYPE ADDRESS, checked; an inet host name is still unresolved. */
    record Target(AddressFamily family, SocketType type, SocketAddress address) {
    }
}
