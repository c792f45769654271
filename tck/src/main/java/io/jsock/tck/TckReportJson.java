package io.jsock.tck;

import java.util.List;
import java.util.Map;

/** Writes a {@link TckReport} as JSON by hand, so the TCK needs no JSON library. */
final class TckReportJson {
    private final StringBuilder out = new StringBuilder(4096);

    private TckReportJson() {
    }

    static String write(TckReport report) {
        TckReportJson w = new TckReportJson();
        w.report(report);
        return w.out.append('\n').toString();
    }

    private void report(TckReport r) {
        out.append("{\n");
        field(1, "schema").string(TckReport.SCHEMA).append(",\n");
        field(1, "started").string(r.started().toString()).append(",\n");
        field(1, "durationMillis").append(r.elapsed().toMillis()).append(",\n");
        field(1, "passed").append(r.passed()).append(",\n");
        field(1, "groups").append('[');
        List<String> groups = r.groups();
        for (int i = 0; i < groups.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            string(groups.get(i));
        }
        out.append("],\n");
        field(1, "totals");
        counts(r.totals());
        out.append(",\n");
        field(1, "rows").append('[');
        List<TckReport.Row> rows = r.rows();
        for (int i = 0; i < rows.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n");
            row(rows.get(i));
        }
        out.append(rows.isEmpty() ? "]\n" : "\n  ]\n");
        out.append('}');
    }

    private void row(TckReport.Row row) {
        indent(2).append("{\n");
        field(3, "provider").string(row.provider()).append(",\n");
        field(3, "family").string(row.family().name()).append(",\n");
        field(3, "type").string(row.type().name()).append(",\n");
        field(3, "proto").append(row.proto()).append(",\n");
        field(3, "durationMillis").append(row.elapsed().toMillis()).append(",\n");
        field(3, "passed").append(row.passed()).append(",\n");
        field(3, "totals");
        counts(row.totals());
        out.append(",\n");
        field(3, "groups").append('{');
        boolean first = true;
        for (Map.Entry<String, TckReport.Counts> g : row.groups().entrySet()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            field(4, g.getKey());
            counts(g.getValue());
        }
        out.append(first ? "},\n" : "\n      },\n");
        field(3, "failures").append('[');
        first = true;
        for (TckReport.Failure f : row.failures()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(4).append("{");
            out.append("\"group\": ");
            string(f.group()).append(", \"id\": ");
            string(f.id()).append(", \"statement\": ");
            string(f.statement()).append(",\n");
            field(5, "exception");
            problem(f.exception(), 5);
            out.append(",\n");
            field(5, "details").string(f.details()).append('}');
        }
        out.append(first ? "],\n" : "\n      ],\n");
        field(3, "skipped").append('[');
        first = true;
        for (TckReport.Skip s : row.skipped()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(4).append("{\"group\": ");
            string(s.group()).append(", \"id\": ");
            string(s.id()).append(", \"reason\": ");
            string(s.reason()).append('}');
        }
        out.append(first ? "]\n" : "\n      ]\n");
        indent(2).append('}');
    }

    private void problem(TckReport.Problem p, int depth) {
        if (p == null) {
            out.append("null");
            return;
        }
        out.append("{\"type\": ");
        string(p.type()).append(", \"message\": ");
        string(p.message()).append(",\n");
        field(depth + 1, "frames").append('[');
        for (int i = 0; i < p.frames().size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            string(p.frames().get(i));
        }
        out.append("],\n");
        field(depth + 1, "cause");
        problem(p.cause(), depth + 1);
        out.append('}');
    }

    private void counts(TckReport.Counts c) {
        out.append("{\"passed\": ").append(c.passed())
                .append(", \"failed\": ").append(c.failed())
                .append(", \"skipped\": ").append(c.skipped()).append('}');
    }

    private TckReportJson field(int depth, String name) {
        indent(depth);
        string(name);
        return append(": ");
    }

    private TckReportJson indent(int depth) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
        return this;
    }

    /** A JSON string literal, or {@code null}; escapes what RFC 8259 requires, and lone surrogates. */
    private TckReportJson string(String s) {
        if (s == null) {
            out.append("null");
            return this;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || loneSurrogate) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        return this;
    }

    private TckReportJson append(String s) {
        out.append(s);
        return this;
    }

    private TckReportJson append(char c) {
        out.append(c);
        return this;
    }

    private TckReportJson append(long n) {
        out.append(n);
        return this;
    }

    private TckReportJson append(boolean b) {
        out.append(b);
        return this;
    }
}
