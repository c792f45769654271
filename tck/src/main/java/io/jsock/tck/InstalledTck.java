package io.jsock.tck;

import io.jsock.spi.SocketProvider;

import java.util.function.Predicate;

/** The Jupiter cases of the row {@link TckRunner} selected in {@link InstalledSelection}. */
final class InstalledTck extends ProviderTck {
    private final SocketProvider provider = InstalledSelection.provider();
    private final Contracts.Triple triple = InstalledSelection.triple();

    @Override
    protected SocketProvider provider() {
        return provider;
    }

    @Override
    protected Predicate<Contracts.Triple> triples() {
        return triple::equals;
    }
}
