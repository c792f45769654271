package io.jsock.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A subcommand's arguments: options with a value ({@code --name VALUE} or {@code --name=VALUE}) and positionals. */
final class Args {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();

    private Args() {
    }

    /**
     * @param args    the arguments after the subcommand
     * @param options the options the subcommand takes, each with one value, as {@code "--jar"}
     */
    static Args parse(List<String> args, Set<String> options) throws UsageError {
        Args parsed = new Args();
        boolean onlyPositionals = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (onlyPositionals || !a.startsWith("--")) {
                parsed.positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (!options.contains(name)) {
                throw UsageError.bad("option", name, options.isEmpty() ? "this command takes no option" : "expected one of " + String.join(", ", options));
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw UsageError.bad("option", name, "needs a value");
            }
            parsed.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parsed;
    }

    List<String> positionals() {
        return positionals;
    }

    /** Every value the option was given, in order. */
    List<String> all(String option) {
        return options.getOrDefault(option, List.of());
    }

    /** The option's one value, or null; given twice is a usage error. */
    String single(String option) throws UsageError {
        List<String> values = all(option);
        if (values.size() > 1) {
            throw UsageError.bad("option", option, "given more than once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** Exactly FAMILY TYPE ADDRESS. */
    Target target(String command) throws UsageError {
        if (positionals.size() < 3) {
            String missing = List.of("FAMILY", "TYPE", "ADDRESS").get(positionals.size());
            throw new UsageError("missing " + missing + ": " + command + " takes FAMILY TYPE ADDRESS");
        }
        if (positionals.size() > 3) {
            throw UsageError.bad("argument", positionals.get(3), command + " takes FAMILY TYPE ADDRESS and nothing more");
        }
        io.jsock.AddressFamily family = Endpoints.family(positionals.get(0));
        io.jsock.SocketType type = Endpoints.type(positionals.get(1));
        return new Target(family, type, Endpoints.address(family, positionals.get(2)));
    }

    /** FAMILY TYPE ADDRESS, checked; an inet host name is still unresolved. */
    record Target(io.jsock.AddressFamily family, io.jsock.SocketType type, java.net.SocketAddress address) {
    }
}
