package io.jsock.tck;

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

    /** The provider under test. */
    protected abstract SocketProvider provider();

    /** Which of the provider's triples to run; all by default. */
    protected Predicate<Contracts.Triple> triples() {
        return t -> true;
    }

    /** The contract cases as dynamic tests. */
    @TestFactory
    Stream<DynamicNode> contract() {
        SocketProvider provider = provider();
        List<DynamicNode> rows = new ArrayList<>();
        for (Contracts.Triple triple : Contracts.triplesOf(provider)) {
            if (!triples().test(triple)) {
                continue;
            }
            List<DynamicNode> groups = new ArrayList<>();
            for (Map.Entry<String, List<Contracts.Case>> group : Contracts.casesFor(triple).entrySet()) {
                List<DynamicNode> cases = new ArrayList<>();
                for (Contracts.Case c : group.getValue()) {
                    cases.add(DynamicTest.dynamicTest(c.id(), () -> run(provider, triple, c)));
                }
                groups.add(DynamicContainer.dynamicContainer(group.getKey(), cases));
            }
            rows.add(DynamicContainer.dynamicContainer(provider.name() + " " + triple, groups));
        }
        return rows.stream();
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
