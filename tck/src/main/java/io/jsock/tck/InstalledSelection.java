package io.jsock.tck;

import io.jsock.spi.SocketProvider;

/**
 * The (provider, triple) that {@link TckRunner} is running: the JUnit Platform instantiates the
 * test classes itself, so the runner hands them the row through here before each launch.
 */
final class InstalledSelection {
    private static volatile SocketProvider provider;
    private static volatile Contracts.Triple triple;

    private InstalledSelection() {
    }

    static void select(SocketProvider provider, Contracts.Triple triple) {
        InstalledSelection.provider = provider;
        InstalledSelection.triple = triple;
    }

    static void clear() {
        provider = null;
        triple = null;
    }

    static SocketProvider provider() {
        SocketProvider p = provider;
        if (p == null) {
            throw new IllegalStateException("no provider selected: these classes are run by TckRunner only");
        }
        return p;
    }

    static Contracts.Triple triple() {
        Contracts.Triple t = triple;
        if (t == null) {
            throw new IllegalStateException("no triple selected: these classes are run by TckRunner only");
        }
        return t;
    }
}
