package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Protocols;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.spi.SocketProvider;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code jsock providers}: each provider, its triples, and which provider each triple goes to. */
final class ProvidersCommand {
    private ProvidersCommand() {
    }

    static int run(List<String> argv, PrintStream out) throws UsageError, IOException {
        Args args = Args.parse(argv, Set.of("--jar"));
        if (!args.positionals().isEmpty()) {
            throw UsageError.bad("argument", args.positionals().get(0), "providers takes only --jar FILE.jar");
        }
        ClassLoader loader = Providers.withJars(args.all("--jar"));
        List<SocketProvider> installed;
        try {
            installed = Providers.in(loader, Providers::installed);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        out.print(render(installed, System.getProperty(Sockets.PROVIDER_PROPERTY)));
        out.flush();
        return 0;
    }

    /** The listing; {@code forced} is the value of {@code -Djsock.provider}, or null. */
    static String render(List<SocketProvider> installed, String forced) {
        StringBuilder out = new StringBuilder();
        String forcedName = forced == null || forced.isBlank() ? null : forced.strip();
        if (installed.isEmpty()) {
            out.append("no provider installed (put a jsock provider such as jsock-inet on the class path)\n");
            return out.toString();
        }
        if (forcedName != null && installed.stream().noneMatch(p -> p.name().equals(forcedName))) {
            out.append("warning: -D").append(Sockets.PROVIDER_PROPERTY).append('=').append(forcedName)
                    .append(" names no installed provider: socket() fails with IllegalArgumentException\n\n");
        }
        for (SocketProvider p : installed) {
            out.append(p.name()).append("  priority ").append(p.priority()).append("  ").append(p.getClass().getName()).append('\n');
            boolean any = false;
            for (AddressFamily f : AddressFamily.values()) {
                for (SocketType t : SocketType.values()) {
                    if (!p.supports(f, t, Protocols.DEFAULT)) {
                        continue;
                    }
                    any = true;
                    SocketProvider winner = winner(installed, forcedName, f, t);
                    out.append(String.format("    %-9s %-15s %s%n", f, t, verdict(p, winner, forcedName)));
                }
            }
            if (!any) {
                out.append("    (no triple with the default protocol)\n");
            }
        }
        return out.toString();
    }

    /** The provider {@code Sockets.socket(f, t)} uses, by the rules of {@link Sockets}. */
    static SocketProvider winner(List<SocketProvider> installed, String forced, AddressFamily f, SocketType t) {
        if (forced != null) {
            for (SocketProvider p : installed) {
                if (p.name().equals(forced) && p.supports(f, t, Protocols.DEFAULT)) {
                    return p;
                }
            }
        }
        for (SocketProvider p : installed) {
            if (p.supports(f, t, Protocols.DEFAULT)) {
                return p;
            }
        }
        return null;
    }

    private static String verdict(SocketProvider p, SocketProvider winner, String forced) {
        boolean byProperty = forced != null && winner != null && winner.name().equals(forced);
        if (winner == p) {
            return byProperty ? "used (-D" + Sockets.PROVIDER_PROPERTY + "=" + forced + ")" : "used";
        }
        if (byProperty) {
            return "not used: " + winner.name() + " wins (-D" + Sockets.PROVIDER_PROPERTY + "=" + forced + ")";
        }
        if (winner.priority() > p.priority()) {
            return "not used: " + winner.name() + " wins (priority " + winner.priority() + " > " + p.priority() + ")";
        }
        return "not used: " + winner.name() + " wins (same priority, first by name)";
    }
}
