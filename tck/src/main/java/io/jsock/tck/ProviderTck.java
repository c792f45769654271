package io.jsock.tck;

import io.jsock.SocketType;
import io.jsock.spi.SocketProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The TCK's JUnit Jupiter cases for one provider. A provider's author writes
 *
 * <pre>{@code
 * class MyProviderTckTest extends ProviderTck {
 *     @Override protected SocketProvider provider() { return new MyProvider(); }
 * }
 * }</pre>
 *
 * and gets, for every triple the provider {@linkplain SocketProvider#supports supports}, every
 * contract group that applies to the triple's {@link Semantics}: a tree of
 * {@code provider > family type > group > case id}. A case the provider cannot take (an optional
 * feature, a family this host lacks) is reported skipped with the reason.
 */
public abstract class ProviderTck {
    /**
     * The system property that runs only some cases: comma-separated contract ids, each either
     * whole or ending in {@code *} for every id that starts with what precedes it, as in
     * {@code -Djsock.tck.case=stream.timeout.*,unix.addressing.abstract-name-exchange}.
     */
    public static final String CASE_PROPERTY = "jsock.tck.case";

    private static final List<SocketType> TESTED_TYPES =
            Stream.of(SocketType.values()).filter(t -> Semantics.of(t) != null).collect(Collectors.toList());

    /** The provider under test. */
    protected abstract SocketProvider provider();

    /** Which of the provider's triples to run; all by default. */
    protected Predicate<Contracts.Triple> triples() {
        return t -> true;
    }

    /**
     * The contract cases as dynamic tests, each named by its contract id. A run that would test
     * nothing fails: a provider that claims no triple, a {@link #triples()} that selects none, or a
     * {@value #CASE_PROPERTY} that names no case.
     */
    @TestFactory
    Stream<DynamicNode> contract() {
        SocketProvider provider = provider();
        Predicate<String> wanted = casesWanted();
        List<DynamicNode> rows = new ArrayList<>();
        for (Contracts.Triple triple : selectedTriples(provider, triples())) {
            List<DynamicNode> groups = new ArrayList<>();
            for (Map.Entry<String, List<Contracts.Case>> group : Contracts.casesFor(triple).entrySet()) {
                List<DynamicNode> cases = new ArrayList<>();
                for (Contracts.Case c : group.getValue()) {
                    if (wanted.test(c.id())) {
                        cases.add(DynamicTest.dynamicTest(c.id(), () -> run(provider, triple, c)));
                    }
                }
                if (!cases.isEmpty()) {
                    groups.add(DynamicContainer.dynamicContainer(group.getKey(), cases));
                }
            }
            if (!groups.isEmpty()) {
                rows.add(DynamicContainer.dynamicContainer(provider.name() + " " + triple, groups));
            }
        }
        if (rows.isEmpty()) {
            String property = System.getProperty(CASE_PROPERTY);
            if (property != null && Contracts.all().stream().anyMatch(c -> c.group().equals(ProviderProperties.GROUP) && wanted.test(c.id()))) {
                return Stream.empty(); // it names properties: ProviderProperties runs them
            }
            throw new AssertionError((property == null ? "no contract case applies" : "-D" + CASE_PROPERTY + "=" + property + " names no case")
                    + " to " + provider.name() + "'s triples: a TCK run that tests nothing fails");
        }
        return rows.stream();
    }

    /** The ids {@value #CASE_PROPERTY} names, or every id when it is not set. */
    static Predicate<String> casesWanted() {
        String property = System.getProperty(CASE_PROPERTY, "").strip();
        if (property.isEmpty()) {
            return id -> true;
        }
        Predicate<String> wanted = id -> false;
        for (String pattern : property.split(",")) {
            String p = pattern.strip();
            wanted = wanted.or(p.endsWith("*") ? id -> id.startsWith(p.substring(0, p.length() - 1)) : p::equals);
        }
        return wanted;
    }

    /**
     * The provider's triples that {@code selected} keeps, in {@link Contracts#triplesOf} order;
     * none is an error whose message says why, since a TCK run that tests nothing must not pass.
     */
    static List<Contracts.Triple> selectedTriples(SocketProvider provider, Predicate<Contracts.Triple> selected) {
        List<Contracts.Triple> claimed = Contracts.triplesOf(provider);
        if (claimed.isEmpty()) {
            throw new AssertionError(provider.name() + " claims no triple the TCK tests: supports(family, type, proto) is false"
                    + " for every family with " + TESTED_TYPES + " and the protocols Contracts.protocolsTried names"
                    + "; a TCK run that tests nothing fails");
        }
        List<Contracts.Triple> kept = new ArrayList<>();
        for (Contracts.Triple t : claimed) {
            if (selected.test(t)) {
                kept.add(t);
            }
        }
        if (kept.isEmpty()) {
            throw new AssertionError("triples() keeps none of " + provider.name() + "'s triples " + claimed
                    + "; a TCK run that tests nothing fails");
        }
        return kept;
    }

    /** Runs one case against a fresh target and cleans up after it, whatever happens. */
    static void run(SocketProvider provider, Contracts.Triple triple, Contracts.Case c) throws Throwable {
        try (TckTarget target = new TckTarget(provider, triple.family(), triple.type(), triple.proto())) {
            Object group = instantiate(c.method().getDeclaringClass());
            c.method().setAccessible(true);
            try {
                c.method().invoke(group, target);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof AssertionError a && !(a.getMessage() != null && a.getMessage().startsWith("[" + c.id() + "]"))) {
                    AssertionError named = new AssertionError("[" + c.id() + "] " + c.statement() + " — " + a.getMessage(), a);
                    named.setStackTrace(a.getStackTrace());
                    throw named;
                }
                throw cause;
            }
        }
    }

    private static Object instantiate(Class<?> type) throws ReflectiveOperationException {
        Constructor<?> ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        return ctor.newInstance();
    }
}
