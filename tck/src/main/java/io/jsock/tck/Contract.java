package io.jsock.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One rule of the contract: a method {@code void name(TckTarget target) throws Exception} in a
 * {@link ContractGroup} class (or a jqwik property in {@link ProviderProperties}).
 *
 * <p>Where it applies is declared here and in its group, never read from its id or tested in its
 * body: a case is generated for a triple only if the triple's semantics and family are among those
 * declared, so "skipped" always means an optional feature the provider lacks or a host that lacks
 * something, never "does not apply".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Contract {
    /** The stable id: {@code semantics.group.what-it-checks}, e.g. {@code stream.timeout.recv-raises-after-timeout}. */
    String id();

    /** One sentence of BSD behaviour the case checks. */
    String statement();

    /**
     * The semantics whose triples run this case; empty (the default) means those of its
     * {@link ContractGroup}. A property of {@link ProviderProperties} must name its semantics.
     */
    Semantics[] semantics() default {};

    /** The families whose triples run this case; empty (the default) means those of its {@link ContractGroup}. */
    io.jsock.AddressFamily[] families() default {};

    /**
     * The protocols whose triples do not run this case because Linux answers differently for them
     * (MPTCP, 262, has no urgent data and no reset on a send to a closed peer), by the triple's
     * protocol number; empty (the default) means none.
     */
    int[] notProtocols() default {};

    /** The only protocols whose triples run this case, by number (a sibling of a {@link #notProtocols} case); empty (the default) means every one. */
    int[] protocols() default {};
}
