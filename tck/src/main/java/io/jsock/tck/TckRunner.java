package io.jsock.tck;

import io.jsock.spi.SocketProvider;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.EngineFilter.includeEngines;

/**
 * Runs the TCK in-process with the JUnit Platform Launcher: for each provider and each triple it
 * {@linkplain Contracts#triplesOf claims}, the Jupiter cases of {@link ProviderTck} and the jqwik
 * properties of {@link ProviderProperties}, and returns a {@link TckReport} — the conformance
 * matrix {@code java -jar jsock.jar tck} prints.
 *
 * <pre>{@code
 * TckReport report = TckRunner.run(Sockets.providers());
 * System.out.print(report.toText());
 * report.writeJson(Path.of("tck.json"));
 * }</pre>
 *
 * <p>The runner writes nothing to {@code System.out}: what a case prints is captured by the
 * platform and kept in the failure's {@link TckReport.Failure#details() details}; jqwik reports go
 * there too, and jqwik keeps no database file. One run at a time per JVM: runs are serialised.
 * A row that has not finished after its time limit is cut short: the cases still running are
 * reported failed with the stack of the thread that runs them, and the runner goes on.
 */
public final class TckRunner {
    /** How long one row (provider × family × type) may take before the runner gives up on it. */
    public static final Duration DEFAULT_ROW_LIMIT = Duration.ofMinutes(3);

    /** How long a row cut short gets to wind down after its thread is interrupted. */
    private static final long WIND_DOWN_MILLIS = 5_000;

    private static final Object ONE_RUN_AT_A_TIME = new Object();

    private static final Map<String, String> CONFIGURATION = Map.of(
            // what a case prints goes into the report, not onto the runner's stdout
            "junit.platform.output.capture.stdout", "true",
            "junit.platform.output.capture.stderr", "true",
            // jqwik prints its per-property report to System.out unless told to use the platform
            "jqwik.reporting.usejunitplatform", "true",
            "jqwik.reporting.onlyfailures", "true",
            // no .jqwik-database in the user's working directory, no replay of an earlier run's seed
            "jqwik.database", "",
            "jqwik.failures.runfirst", "false",
            "jqwik.failures.after.default", "RANDOM_SEED",
            "junit.jupiter.execution.parallel.enabled", "false");

    private TckRunner() {
    }

    /** Runs every row of every provider with {@link #DEFAULT_ROW_LIMIT}. */
    public static TckReport run(List<? extends SocketProvider> providers) {
        return run(providers, DEFAULT_ROW_LIMIT, row -> { });
    }

    /**
     * Runs every row of every provider, in the order given and the triples' enum order.
     *
     * @param providers the providers under test
     * @param rowLimit  how long one row may take
     * @param progress  told each row as soon as it is done (for a progress line); may not throw
     */
    public static TckReport run(List<? extends SocketProvider> providers, Duration rowLimit, Consumer<? super TckReport.Row> progress) {
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(rowLimit, "rowLimit");
        Objects.requireNonNull(progress, "progress");
        if (rowLimit.isNegative() || rowLimit.isZero()) {
            throw new IllegalArgumentException("rowLimit must be positive, got " + rowLimit);
        }
        synchronized (ONE_RUN_AT_A_TIME) {
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                    .enableTestExecutionListenerAutoRegistration(false)
                    .enableLauncherSessionListenerAutoRegistration(false)
                    .enableLauncherDiscoveryListenerAutoRegistration(false)
                    .enablePostDiscoveryFilterAutoRegistration(false)
                    .build());
            Map<String, Contracts.Case> catalogue = new HashMap<>();
            for (Contracts.Case c : Contracts.all()) {
                catalogue.putIfAbsent(c.id(), c);
            }
            List<String> groups = new ArrayList<>(Contracts.groupNames());
            List<TckReport.Row> rows = new ArrayList<>();
            try {
                for (SocketProvider provider : providers) {
                    Objects.requireNonNull(provider, "providers: a null element");
                    for (Contracts.Triple triple : Contracts.triplesOf(provider)) {
                        TckReport.Row row = runRow(launcher, catalogue, provider, triple, rowLimit);
                        for (String g : row.groups().keySet()) {
                            if (!groups.contains(g)) {
                                groups.add(g);
                            }
                        }
                        rows.add(row);
                        progress.accept(row);
                        if (Thread.currentThread().isInterrupted()) {
                            return new TckReport(groups, rows, started, Duration.ofNanos(System.nanoTime() - t0));
                        }
                    }
                }
            } finally {
                InstalledSelection.clear();
            }
            return new TckReport(groups, rows, started, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /** The jqwik properties that apply to the triple, by the semantics and families their {@link Contract} declares. */
    static List<Method> propertiesFor(Contracts.Triple triple) {
        List<Method> methods = new ArrayList<>();
        for (Contracts.Case c : Contracts.propertiesFor(triple)) {
            methods.add(c.method());
        }
        return methods;
    }

    private static TckReport.Row runRow(Launcher launcher, Map<String, Contracts.Case> catalogue, SocketProvider provider,
                                        Contracts.Triple triple, Duration rowLimit) {
        InstalledSelection.select(provider, triple);
        List<DiscoverySelector> selectors = new ArrayList<>();
        selectors.add(selectClass(InstalledTck.class));
        for (Method property : propertiesFor(triple)) {
            selectors.add(selectMethod(InstalledProperties.class, property));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(includeEngines("junit-jupiter", "jqwik"))
                .configurationParameters(CONFIGURATION)
                .build();
        TckRunnerListener listener = new TckRunnerListener(catalogue);
        long t0 = System.nanoTime();
        Thread worker = new Thread(() -> {
            try {
                launcher.execute(request, listener);
            } catch (RuntimeException | Error e) {
                listener.crashed(e);
            }
        }, "jsock-tck " + provider.name() + " " + triple);
        worker.setDaemon(true);
        PrintStream stdout = System.out;
        // jqwik prints a banner to System.out on every execution, outside any test the platform captures
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        Logger jqwikLog = Logger.getLogger("net.jqwik");
        Level jqwikLevel = jqwikLog.getLevel();
        jqwikLog.setLevel(Level.WARNING); // its INFO that the database is off is our own choice
        worker.start();
        try {
            return awaitRow(worker, listener, provider, triple, rowLimit, t0);
        } finally {
            System.setOut(stdout);
            jqwikLog.setLevel(jqwikLevel);
        }
    }

    private static TckReport.Row awaitRow(Thread worker, TckRunnerListener listener, SocketProvider provider,
                                          Contracts.Triple triple, Duration rowLimit, long t0) {
        boolean interrupted = false;
        try {
            worker.join(rowLimit.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (worker.isAlive()) {
            listener.cutShort(interrupted ? "the runner was interrupted" : "did not finish within " + rowLimit.toSeconds() + " s",
                    worker.getStackTrace());
            // a case blocked in a socket call ends with EINTR and closes its socket (Socket's interrupt rule)
            worker.interrupt();
            try {
                worker.join(WIND_DOWN_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return listener.row(provider.name(), triple, Duration.ofNanos(System.nanoTime() - t0));
    }
}
