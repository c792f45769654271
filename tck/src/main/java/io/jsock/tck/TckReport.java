package io.jsock.tck;

import io.jsock.AddressFamily;
import io.jsock.SocketType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link TckRunner} run found: one {@link Row} per provider × family × type, with passed /
 * failed / skipped counts per contract group (the matrix columns), and each failure with its
 * contract id, statement and exception.
 *
 * <h2>JSON</h2>
 * {@link #toJson()} writes the report as one JSON object (schema {@value #SCHEMA}, documented in
 * {@code tck/README.md}, section "Report schema"):
 * <pre>{@code
 * { "schema": "jsock-tck-report/1", "started": "2026-11-24T23:50:00Z", "durationMillis": 41234,
 *   "passed": true, "groups": ["lifecycle", ..., "properties"],
 *   "totals": {"passed": 230, "failed": 0, "skipped": 4},
 *   "rows": [ { "provider": "inet", "family": "AF_INET", "type": "SOCK_STREAM", "proto": 0,
 *               "durationMillis": 20100, "totals": {...},
 *               "groups": {"lifecycle": {"passed": 12, "failed": 0, "skipped": 0}, ...},
 *               "failures": [ { "group": ..., "id": ..., "statement": ...,
 *                               "exception": {"type": ..., "message": ..., "frames": [...], "cause": null},
 *                               "details": null } ],
 *               "skipped": [ {"group": ..., "id": ..., "reason": ...} ] } ] }
 * }</pre>
 * A group that has no case for a row's triple is absent from that row's {@code groups}.
 */
public final class TckReport {
    /** The {@code schema} value of the JSON form; the number changes when a field changes meaning or goes. */
    public static final String SCHEMA = "jsock-tck-report/1";

    /**
     * Counts of one cell (or a total).
     *
     * @param passed  cases that passed
     * @param failed  cases that failed
     * @param skipped cases skipped, each with a reason in {@link Row#skipped()}
     */
    public record Counts(int passed, int failed, int skipped) {
        /** No case. */
        public static final Counts NONE = new Counts(0, 0, 0);

        /** The sum of both. */
        public Counts plus(Counts other) {
            return new Counts(passed + other.passed, failed + other.failed, skipped + other.skipped);
        }

        /** Every case counted. */
        public int total() {
            return passed + failed + skipped;
        }
    }

    /**
     * An exception, as much of it as a report needs.
     *
     * @param type    the exception's class name
     * @param message its message, or null
     * @param frames  its first stack frames, starting at the first frame outside the test framework
     * @param cause   its cause, or null
     */
    public record Problem(String type, String message, List<String> frames, Problem cause) {
        /** Checks the type and copies the frames. */
        public Problem {
            Objects.requireNonNull(type, "type");
            frames = List.copyOf(frames);
        }

        /** {@code type: message}, as a stack trace's first line reads. */
        @Override
        public String toString() {
            return message == null ? type : type + ": " + message;
        }
    }

    /**
     * A case that failed.
     *
     * @param group     the matrix column
     * @param id        the contract id, as {@code stream.timeout.recv-raises-after-timeout}
     * @param statement the BSD behaviour the case checks, or null for a failure outside any case
     * @param exception what was thrown
     * @param details   what the engine reported besides the exception (jqwik's seed and falsified
     *                  sample) and what the case printed; null when nothing
     */
    public record Failure(String group, String id, String statement, Problem exception, String details) {
        /** Checks that the group, the id and the exception are given. */
        public Failure {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(exception, "exception");
        }
    }

    /**
     * A case that was skipped.
     *
     * @param group  the matrix column
     * @param id     the contract id
     * @param reason why, as the case or the engine said it
     */
    public record Skip(String group, String id, String reason) {
    }

    /**
     * One provider × family × type.
     *
     * @param provider the provider's name
     * @param family   the family
     * @param type     the type
     * @param proto    the protocol, 0 for the family's default
     * @param groups   counts by group, in matrix order; a group without a case for the triple is absent
     * @param failures every failure, in the order they happened
     * @param skipped  every skip, in the order they happened
     * @param elapsed  how long the row took
     */
    public record Row(String provider, AddressFamily family, SocketType type, int proto, Map<String, Counts> groups,
                      List<Failure> failures, List<Skip> skipped, Duration elapsed) {
        /** Checks the names and copies the groups, failures and skips. */
        public Row {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(type, "type");
            groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
            failures = List.copyOf(failures);
            skipped = List.copyOf(skipped);
            Objects.requireNonNull(elapsed, "elapsed");
        }

        /** The sum over the row's groups. */
        public Counts totals() {
            Counts sum = Counts.NONE;
            for (Counts c : groups.values()) {
                sum = sum.plus(c);
            }
            return sum;
        }

        /** Whether nothing failed in this row. */
        public boolean passed() {
            return failures.isEmpty() && totals().failed() == 0;
        }

        /** {@code inet AF_INET SOCK_STREAM}, with {@code proto N} when not the default. */
        public String label() {
            return provider + " " + family + " " + type + (proto == 0 ? "" : " proto " + proto);
        }
    }

    private final List<String> groups;
    private final List<Row> rows;
    private final Instant started;
    private final Duration elapsed;

    /**
     * @param groups  the matrix columns, in order
     * @param rows    the rows, in the order they ran
     * @param started when the run began
     * @param elapsed how long it took
     */
    public TckReport(List<String> groups, List<Row> rows, Instant started, Duration elapsed) {
        this.groups = List.copyOf(groups);
        this.rows = List.copyOf(rows);
        this.started = Objects.requireNonNull(started, "started");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The matrix columns: {@link Contracts#groupNames()}, then any group a case reported outside them. */
    public List<String> groups() {
        return groups;
    }

    /** One row per provider × family × type, in the order they ran. */
    public List<Row> rows() {
        return rows;
    }

    /** When the run began. */
    public Instant started() {
        return started;
    }

    /** How long the run took. */
    public Duration elapsed() {
        return elapsed;
    }

    /** The sum over every row. */
    public Counts totals() {
        Counts sum = Counts.NONE;
        for (Row r : rows) {
            sum = sum.plus(r.totals());
        }
        return sum;
    }

    /** Every failure of every row, in row order. */
    public List<Failure> failures() {
        List<Failure> all = new ArrayList<>();
        for (Row r : rows) {
            all.addAll(r.failures());
        }
        return all;
    }

    /** Whether no case failed in any row. */
    public boolean passed() {
        return rows.stream().allMatch(Row::passed);
    }

    /** The report as JSON (schema {@value #SCHEMA}; see the class comment). */
    public String toJson() {
        return TckReportJson.write(this);
    }

    /** Writes {@link #toJson()} to a file in UTF-8, replacing it. */
    public void writeJson(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /**
     * The conformance matrix as text: a header, one line per row with {@code passed/failed/skipped}
     * per group column ({@code -} where no case applies), and then every failure with its id,
     * statement and exception.
     */
    public String toText() {
        return TckReportText.render(this);
    }

    @Override
    public String toString() {
        Counts t = totals();
        return "TckReport[" + rows.size() + " rows, " + t.passed() + " passed, " + t.failed() + " failed, " + t.skipped() + " skipped]";
    }
}
