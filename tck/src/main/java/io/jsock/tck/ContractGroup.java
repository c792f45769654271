package io.jsock.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A class of {@link Contract} cases that share a theme and the semantics they apply to. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ContractGroup {
    /** The group's column in the conformance matrix: lifecycle, addressing, transfer, ... */
    String name();

    /** The semantics whose triples run this group. */
    Semantics[] appliesTo();

    /** The families whose triples run this group; empty (the default) means every family. */
    io.jsock.AddressFamily[] families() default {};
}
