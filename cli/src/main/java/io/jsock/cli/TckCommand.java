package io.jsock.cli;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.TckReport;
import io.jsock.tck.TckRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code jsock tck}: the conformance matrix of the installed providers. */
final class TckCommand {
    private TckCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Args.Spec.of("--provider", "--jar", "--report"));
        if (!args.positionals().isEmpty()) {
            throw UsageError.bad("argument", args.positionals().get(0), "tck takes only --provider, --jar and --report");
        }
        String report = args.single("--report");
        if (report != null && report.isBlank()) {
            throw UsageError.bad("--report", report, "expected a file name");
        }
        ClassLoader loader = Providers.withJars(args.all("--jar"));
        return Providers.in(loader, () -> {
            List<SocketProvider> selected = select(Providers.installed(), args.all("--provider"));
            if (selected.isEmpty()) {
                err.println("jsock: no provider to test: none is installed");
                return 1;
            }
            TckReport result = TckRunner.run(selected, TckRunner.DEFAULT_ROW_LIMIT, row -> {
                TckReport.Counts c = row.totals();
                err.printf(Locale.ROOT, "tck: %-32s %4d passed, %d failed, %d skipped (%.1f s)%n", row.label(),
                        c.passed(), c.failed(), c.skipped(), row.elapsed().toMillis() / 1000.0);
                err.flush();
            });
            out.print(result.toText());
            out.flush();
            if (report != null) {
                try {
                    result.writeJson(Path.of(report));
                } catch (IOException e) {
                    throw new IOException("cannot write the report to " + report + ": " + e.getMessage(), e);
                }
            }
            return result.passed() ? 0 : 1;
        });
    }

    /** The providers named, in the installed order; every one if none is named. */
    static List<SocketProvider> select(List<SocketProvider> installed, List<String> names) throws UsageError {
        if (names.isEmpty()) {
            return installed;
        }
        for (String name : names) {
            if (installed.stream().noneMatch(p -> p.name().equals(name))) {
                throw UsageError.bad("--provider", name, "no such provider; installed: "
                        + installed.stream().map(SocketProvider::name).collect(Collectors.joining(", ")));
            }
        }
        List<SocketProvider> selected = new ArrayList<>();
        for (SocketProvider p : installed) {
            if (names.contains(p.name())) {
                selected.add(p);
            }
        }
        return selected;
    }
}
