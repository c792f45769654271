/**
 * The jsock TCK: the contract every provider runs, as JUnit Jupiter cases and jqwik properties.
 * A provider's tests extend {@link io.jsock.tck.ProviderTck} and {@link io.jsock.tck.ProviderProperties}.
 */
@SuppressWarnings("module") // net.jqwik.engine is a run-time dependency only: javac does not see the module it opens to
module io.jsock.tck {
    requires transitive io.jsock;
    requires transitive org.junit.jupiter.api;
    requires transitive net.jqwik.api;
    requires transitive org.junit.platform.launcher; // ProviderProperties.ApplicableOnly is a PostDiscoveryFilter
    requires org.opentest4j;
    requires java.logging;
    requires java.management;

    exports io.jsock.tck;
    opens io.jsock.tck to org.junit.platform.commons, net.jqwik.engine;
    opens io.jsock.tck.contracts to org.junit.platform.commons, net.jqwik.engine;

    uses io.jsock.spi.SocketProvider;
    // leaves out properties that apply to none of a provider's triples, as Jupiter cases are not generated
    provides org.junit.platform.launcher.PostDiscoveryFilter with io.jsock.tck.ProviderProperties.ApplicableOnly;
}
