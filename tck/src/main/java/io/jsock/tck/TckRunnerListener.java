package io.jsock.tck;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects one row's outcome from the platform's events: counts per group, failures and skips by
 * contract id. Events after the row was {@linkplain #cutShort cut short} are ignored.
 */
final class TckRunnerListener implements TestExecutionListener {
    /** The column of failures outside any contract case (an engine or a test factory that failed). */
    static final String SETUP_GROUP = "setup";

    private static final int FRAMES = 8;
    private static final int CAUSES = 4;
    private static final int DETAILS_CHARS = 4_000;
    private static final java.util.regex.Pattern EXHAUSTED =
            java.util.regex.Pattern.compile("exhausted after \\[(\\d+)\\] tries and \\[(\\d+)\\] rejections");

    private final Map<String, Contracts.Case> catalogue;
    private final List<String> groupNames = Contracts.groupNames();
    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private final List<TckReport.Failure> failures = new ArrayList<>();
    private final List<TckReport.Skip> skips = new ArrayList<>();
    private final Map<String, StringBuilder> details = new HashMap<>();
    private final Map<String, TestIdentifier> running = new LinkedHashMap<>();
    private TestPlan plan;
    private boolean sealed;

    TckRunnerListener(Map<String, Contracts.Case> catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public synchronized void executionStarted(TestIdentifier id) {
        running.put(id.getUniqueId(), id);
    }

    @Override
    public synchronized void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
        if (sealed) {
            return;
        }
        StringBuilder sb = details.computeIfAbsent(id.getUniqueId(), k -> new StringBuilder());
        entry.getKeyValuePairs().forEach((k, v) -> {
            if (sb.length() < DETAILS_CHARS) {
                sb.append(k).append(": ").append(v.strip()).append('\n');
            }
        });
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        if (sealed) {
            return;
        }
        Subject s = subject(id);
        count(s.group, 2);
        skips.add(new TckReport.Skip(s.group, s.id, reason));
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        running.remove(id.getUniqueId());
        if (sealed) {
            return;
        }
        Throwable thrown = result.getThrowable().orElse(null);
        if (id.isTest()) {
            Subject s = subject(id);
            switch (result.getStatus()) {
                case SUCCESSFUL -> count(s.group, 0);
                case ABORTED -> {
                    count(s.group, 2);
                    skips.add(new TckReport.Skip(s.group, s.id, thrown == null ? null : thrown.getMessage()));
                }
                case FAILED -> {
                    if (everyTryRejected(thrown)) {
                        count(s.group, 2);
                        skips.add(new TckReport.Skip(s.group, s.id, "every try was rejected: " + thrown.getMessage()));
                    } else {
                        count(s.group, 1);
                        failures.add(failure(s, thrown, details.get(id.getUniqueId())));
                    }
                }
            }
        } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            Subject s = containerSubject(id);
            count(s.group, 1);
            failures.add(failure(s, thrown, details.get(id.getUniqueId())));
        } else if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            Subject s = containerSubject(id);
            count(s.group, 2);
            skips.add(new TckReport.Skip(s.group, s.id, thrown == null ? null : thrown.getMessage()));
        }
    }

    /** The launcher itself threw: one failure outside any case. */
    synchronized void crashed(Throwable e) {
        if (sealed) {
            return;
        }
        count(SETUP_GROUP, 1);
        failures.add(new TckReport.Failure(SETUP_GROUP, "launcher", null, problem(e, null, null, 0), null));
    }

    /**
     * The row took too long: each case still running fails with {@code why} and the worker's
     * stack, and later events are ignored.
     */
    synchronized void cutShort(String why, StackTraceElement[] workerStack) {
        if (sealed) {
            return;
        }
        List<TestIdentifier> cases = running.values().stream().filter(TestIdentifier::isTest).toList();
        if (cases.isEmpty()) {
            cases = running.values().stream().reduce((a, b) -> b).map(List::of).orElse(List.of());
        }
        TckReport.Problem problem = new TckReport.Problem("io.jsock.tck.TckRunner.RowCutShort", why, frames(workerStack), null);
        if (cases.isEmpty()) {
            count(SETUP_GROUP, 1);
            failures.add(new TckReport.Failure(SETUP_GROUP, "row", null, problem, null));
        }
        for (TestIdentifier id : cases) {
            Subject s = id.isTest() ? subject(id) : containerSubject(id);
            count(s.group, 1);
            failures.add(new TckReport.Failure(s.group, s.id, s.statement, problem, null));
        }
        sealed = true;
    }

    synchronized TckReport.Row row(String provider, Contracts.Triple triple, Duration elapsed) {
        sealed = true;
        Map<String, TckReport.Counts> groups = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(groupNames);
        for (String g : counts.keySet()) {
            if (!order.contains(g)) {
                order.add(g);
            }
        }
        for (String g : order) {
            int[] c = counts.get(g);
            if (c != null) {
                groups.put(g, new TckReport.Counts(c[0], c[1], c[2]));
            }
        }
        return new TckReport.Row(provider, triple.family(), triple.type(), triple.proto(), groups, failures, skips, elapsed);
    }

    // ---- who is who -----------------------------------------------------------------------

    private record Subject(String group, String id, String statement) {
    }

    /**
     * A test's contract: the {@link Contract} on its method (jqwik properties), else its display
     * name (Jupiter's dynamic tests are named by case id); the group from the catalogue, else the
     * parent container's name (Jupiter's group containers).
     */
    private Subject subject(TestIdentifier id) {
        Contract contract = contractOf(id);
        String caseId = contract != null ? contract.id() : id.getDisplayName();
        Contracts.Case known = catalogue.get(caseId);
        if (known != null) {
            return new Subject(known.group(), caseId, known.statement());
        }
        if (contract != null) {
            return new Subject(ProviderProperties.GROUP, caseId, contract.statement());
        }
        String group = parent(id).map(TestIdentifier::getDisplayName).filter(groupNames::contains).orElse(SETUP_GROUP);
        return new Subject(group, caseId, null);
    }

    private Subject containerSubject(TestIdentifier id) {
        String name = id.getDisplayName();
        if (groupNames.contains(name)) {
            return new Subject(name, name, null);
        }
        Contract contract = contractOf(id);
        if (contract != null) {
            return new Subject(ProviderProperties.GROUP, contract.id(), contract.statement());
        }
        return new Subject(SETUP_GROUP, name, null);
    }

    private Optional<TestIdentifier> parent(TestIdentifier id) {
        if (plan == null) {
            return Optional.empty();
        }
        try {
            return plan.getParent(id);
        } catch (RuntimeException unknownToThePlan) {
            return Optional.empty();
        }
    }

    private static Contract contractOf(TestIdentifier id) {
        if (id.getSource().orElse(null) instanceof MethodSource source) {
            try {
                Method m = source.getJavaMethod();
                return m.getAnnotation(Contract.class);
            } catch (RuntimeException notLoadable) {
                return null;
            }
        }
        return null;
    }

    /** jqwik fails a property none of whose tries ran (each threw TestAbortedException): that is a skip. */
    private static boolean everyTryRejected(Throwable thrown) {
        if (thrown == null || thrown.getMessage() == null) {
            return false;
        }
        java.util.regex.Matcher m = EXHAUSTED.matcher(thrown.getMessage());
        return m.find() && m.group(1).equals(m.group(2));
    }

    private void count(String group, int column) {
        counts.computeIfAbsent(group, g -> new int[3])[column]++;
    }

    // ---- exceptions -----------------------------------------------------------------------

    private static TckReport.Failure failure(Subject s, Throwable thrown, StringBuilder details) {
        TckReport.Problem problem = thrown == null
                ? new TckReport.Problem("unknown", "the platform reported a failure without an exception", List.of(), null)
                : problem(thrown, s.id, s.statement, 0);
        String text = details == null || details.length() == 0 ? null : details.toString().strip();
        return new TckReport.Failure(s.group, s.id, s.statement, problem, text);
    }

    /**
     * The exception without the {@code [id] statement — } prefix {@link ProviderTck} puts on
     * assertion messages (the report has both already): the wrapped assertion itself when it is one.
     */
    static TckReport.Problem problem(Throwable t, String caseId, String statement, int depth) {
        String message = t.getMessage();
        String prefix = caseId == null ? null : "[" + caseId + "] " + statement + " — ";
        if (prefix != null && message != null && message.startsWith(prefix)) {
            message = message.substring(prefix.length());
            Throwable cause = t.getCause();
            if (t instanceof AssertionError && cause instanceof AssertionError && message.equals(String.valueOf(cause.getMessage()))) {
                t = cause;
            }
        }
        Throwable cause = t.getCause();
        TckReport.Problem causeProblem = cause != null && cause != t && depth < CAUSES ? problem(cause, null, null, depth + 1) : null;
        return new TckReport.Problem(t.getClass().getName(), message, frames(t.getStackTrace()), causeProblem);
    }

    /** The first frames from the first one outside the test frameworks, reflection left out. */
    static List<String> frames(StackTraceElement[] stack) {
        int start = 0;
        while (start < stack.length && framework(stack[start].getClassName())) {
            start++;
        }
        if (start == stack.length) {
            start = 0;
        }
        List<String> frames = new ArrayList<>();
        for (int i = start; i < stack.length && frames.size() < FRAMES; i++) {
            String cls = stack[i].getClassName();
            if (cls.startsWith("io.jsock.tck.ProviderTck") || cls.startsWith("net.jqwik.")) {
                break;
            }
            if (cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.reflect.")) {
                continue;
            }
            frames.add(stack[i].toString());
        }
        return frames;
    }

    private static boolean framework(String cls) {
        return cls.startsWith("org.junit.") || cls.startsWith("org.opentest4j.") || cls.startsWith("net.jqwik.")
                || cls.startsWith("jdk.internal.") || cls.startsWith("java.lang.reflect.");
    }
}
