package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Protocols;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.spi.SocketProvider;
import io.jsock.tck.Contracts;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code jsock providers}: each provider, its triples, which provider each triple goes to (as
 * {@link Sockets#providerFor} says: this command decides nothing itself), and every tie.
 */
final class ProvidersCommand {
    private ProvidersCommand() {
    }

    static int run(List<String> argv, PrintStream out) throws Exception {
        Args args = Args.parse(argv, Args.Spec.of("--jar"));
        if (!args.positionals().isEmpty()) {
            throw UsageError.bad("argument", args.positionals().get(0), "providers takes only --jar FILE.jar");
        }
        ClassLoader loader = Providers.withJars(args.all("--jar"));
        String listing = Providers.in(loader, ProvidersCommand::render);
        out.print(listing);
        out.flush();
        return 0;
    }

    /** The listing of the providers the context class loader sees, under the current {@code -Djsock.provider}. */
    static String render() {
        List<SocketProvider> installed = Providers.installed();
        String forced = System.getProperty(Sockets.PROVIDER_PROPERTY);
        String forcedName = forced == null || forced.isBlank() ? null : forced.strip();
        StringBuilder out = new StringBuilder();
        if (installed.isEmpty()) {
            out.append("no provider installed (put a jsock provider such as jsock-inet on the class path)\n");
            return out.toString();
        }
        if (forcedName != null && installed.stream().noneMatch(p -> p.name().equals(forcedName))) {
            out.append("warning: -D").append(Sockets.PROVIDER_PROPERTY).append('=').append(forcedName)
                    .append(" names no installed provider: socket() fails with IllegalArgumentException\n\n");
        }
        List<String> ties = new ArrayList<>();
        for (SocketProvider p : installed) {
            out.append(p.name()).append("  priority ").append(p.priority()).append("  ").append(p.getClass().getName()).append('\n');
            boolean any = false;
            for (AddressFamily f : AddressFamily.values()) {
                for (SocketType t : SocketType.values()) {
                    for (int proto : Contracts.protocolsTried(f, t)) {
                        if (!p.supports(f, t, proto)) {
                            continue;
                        }
                        any = true;
                        out.append(String.format("    %-9s %-15s %s%s%n", f, t, proto == Protocols.DEFAULT ? "" : "proto " + proto + "  ",
                                verdict(installed, p, f, t, proto, forcedName)));
                    }
                }
            }
            if (!any) {
                out.append("    (no triple with the default protocol or the others the TCK tries)\n");
            }
        }
        for (AddressFamily f : AddressFamily.values()) {
            for (SocketType t : SocketType.values()) {
                List<SocketProvider> tied = tied(installed, f, t, Protocols.DEFAULT);
                if (tied.size() > 1) {
                    SocketProvider used = winner(f, t, Protocols.DEFAULT);
                    ties.add(String.format("    %-9s %-15s %s at priority %d: %s", f, t,
                            tied.stream().map(SocketProvider::name).collect(Collectors.joining(", ")), tied.get(0).priority(),
                            used == null ? "socket() fails" : used.name() + " is used"));
                }
            }
        }
        if (!ties.isEmpty()) {
            out.append("\nties (equal best priority for a triple; a built-in provider wins, then the first name in alphabetical order):\n");
            ties.forEach(line -> out.append(line).append('\n'));
        }
        return out.toString();
    }

    /** {@link Sockets#providerFor}, or null when it fails (no provider, or a property naming none). */
    private static SocketProvider winner(AddressFamily f, SocketType t, int proto) {
        try {
            return Sockets.providerFor(f, t, proto);
        } catch (SocketError | IllegalArgumentException e) {
            return null;
        }
    }

    /** The providers of the best priority among those that support the triple, in {@link Sockets#providers()} order. */
    private static List<SocketProvider> tied(List<SocketProvider> installed, AddressFamily f, SocketType t, int proto) {
        List<SocketProvider> tied = new ArrayList<>();
        for (SocketProvider p : installed) {
            if (p.supports(f, t, proto)) {
                if (!tied.isEmpty() && p.priority() != tied.get(0).priority()) {
                    break;
                }
                tied.add(p);
            }
        }
        return tied;
    }

    private static String verdict(List<SocketProvider> installed, SocketProvider p, AddressFamily f, SocketType t, int proto, String forced) {
        SocketProvider winner = winner(f, t, proto);
        if (winner == null) {
            return "not used: socket() fails (-D" + Sockets.PROVIDER_PROPERTY + "=" + forced + " names no installed provider)";
        }
        boolean byProperty = forced != null && winner.name().equals(forced);
        if (winner == p) {
            if (byProperty) {
                return "used (-D" + Sockets.PROVIDER_PROPERTY + "=" + forced + ")";
            }
            List<SocketProvider> tied = tied(installed, f, t, proto);
            return tied.size() > 1 ? "used (wins a tie at priority " + p.priority() + ")" : "used";
        }
        if (byProperty) {
            return "not used: " + winner.name() + " wins (-D" + Sockets.PROVIDER_PROPERTY + "=" + forced + ")";
        }
        if (winner.priority() > p.priority()) {
            return "not used: " + winner.name() + " wins (priority " + winner.priority() + " > " + p.priority() + ")";
        }
        return "not used: " + winner.name() + " wins a tie at priority " + p.priority() + " (a built-in provider first, then by name)";
    }
}
