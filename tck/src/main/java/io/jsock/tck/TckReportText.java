package io.jsock.tck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link TckReport} as the text conformance matrix and the list of failures. */
final class TckReportText {
    private static final String NONE = "-";

    private TckReportText() {
    }

    static String render(TckReport report) {
        StringBuilder out = new StringBuilder(4096);
        matrix(report, out);
        skips(report, out);
        failures(report, out);
        return out.toString();
    }

    private static void matrix(TckReport report, StringBuilder out) {
        List<String> header = new ArrayList<>(List.of("provider", "family", "type"));
        header.addAll(report.groups());
        header.add("result");
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (TckReport.Row row : report.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.provider());
            cells.add(row.family().name());
            cells.add(row.type().name() + (row.proto() == 0 ? "" : "/" + row.proto()));
            for (String group : report.groups()) {
                TckReport.Counts c = row.groups().get(group);
                cells.add(c == null ? NONE : cell(c));
            }
            cells.add(row.passed() ? (row.totals().total() == 0 ? "NO CASES" : "PASS") : "FAIL");
            lines.add(cells);
        }
        int[] widths = new int[header.size()];
        for (List<String> cells : lines) {
            for (int i = 0; i < cells.size(); i++) {
                widths[i] = Math.max(widths[i], cells.get(i).length());
            }
        }
        out.append("jsock TCK conformance matrix (cells: passed/failed/skipped; ").append(NONE)
                .append(": no case of the group applies to the triple)\n\n");
        for (List<String> cells : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    line.append("  ");
                }
                line.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        TckReport.Counts t = report.totals();
        out.append('\n').append(report.rows().size()).append(report.rows().size() == 1 ? " row: " : " rows: ")
                .append(t.passed()).append(" passed, ").append(t.failed()).append(" failed, ")
                .append(t.skipped()).append(" skipped in ")
                .append(String.format(Locale.ROOT, "%.1f s", report.elapsed().toMillis() / 1000.0))
                .append(" — ").append(report.passed() ? "PASS" : "FAIL").append('\n');
    }

    private static String cell(TckReport.Counts c) {
        return c.passed() + "/" + c.failed() + "/" + c.skipped();
    }

    /** Skips, one line per row and reason: many cases often share one reason. */
    private static void skips(TckReport report, StringBuilder out) {
        boolean any = false;
        for (TckReport.Row row : report.rows()) {
            Map<String, List<String>> byReason = new LinkedHashMap<>();
            for (TckReport.Skip s : row.skipped()) {
                byReason.computeIfAbsent(s.reason() == null ? "no reason given" : s.reason(), k -> new ArrayList<>()).add(s.id());
            }
            for (Map.Entry<String, List<String>> e : byReason.entrySet()) {
                if (!any) {
                    out.append("\nSkipped:\n");
                    any = true;
                }
                out.append("  ").append(row.label()).append(": ").append(String.join(", ", e.getValue()))
                        .append("\n      ").append(oneLine(e.getKey())).append('\n');
            }
        }
    }

    private static void failures(TckReport report, StringBuilder out) {
        int n = 0;
        for (TckReport.Row row : report.rows()) {
            for (TckReport.Failure f : row.failures()) {
                if (n == 0) {
                    out.append("\nFailures:\n");
                }
                n++;
                out.append('\n').append(n).append(") ").append(row.label()).append("  [").append(f.group()).append("] ")
                        .append(f.id()).append('\n');
                if (f.statement() != null) {
                    out.append("   ").append(f.statement()).append('\n');
                }
                problem(f.exception(), "   ", out);
                if (f.details() != null && !f.details().isBlank()) {
                    for (String line : f.details().strip().split("\n")) {
                        out.append("   | ").append(line.stripTrailing()).append('\n');
                    }
                }
            }
        }
    }

    private static void problem(TckReport.Problem p, String indent, StringBuilder out) {
        out.append(indent).append(p).append('\n');
        for (String frame : p.frames()) {
            out.append(indent).append("    at ").append(frame).append('\n');
        }
        if (p.cause() != null) {
            out.append(indent).append("caused by ");
            StringBuilder nested = new StringBuilder();
            problem(p.cause(), indent, nested);
            out.append(nested.substring(indent.length()));
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
