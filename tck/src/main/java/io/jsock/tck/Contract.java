package io.jsock.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One rule of the contract: a method {@code void name(TckTarget target) throws Exception} in a
 * {@link ContractGroup} class (or a jqwik property in {@link ProviderProperties}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Contract {
    /** The stable id: {@code semantics.group.what-it-checks}, e.g. {@code stream.timeout.recv-raises-after-timeout}. */
    String id();

    /** One sentence of BSD behaviour the case checks. */
    String statement();
}
