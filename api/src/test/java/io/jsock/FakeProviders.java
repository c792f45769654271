package io.jsock;

import io.jsock.spi.SocketProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * Two test providers that claim the same made-up triple (AF_TIPC, SOCK_RDM): "low" with priority
 * 0 and "high" with priority 5. Opening records which provider was asked and refuses with EPERM,
 * so the tests see the choice without needing a real transport.
 */
final class FakeProviders {
    static final List<String> OPENED = new ArrayList<>();

    private FakeProviders() {
    }

    abstract static class Base implements SocketProvider {
        @Override
        public boolean supports(AddressFamily family, SocketType type, int proto) {
            return family == AddressFamily.AF_TIPC && type == SocketType.SOCK_RDM && proto == 0;
        }

        @Override
        public Socket open(AddressFamily family, SocketType type, int proto) throws SocketError {
            synchronized (OPENED) {
                OPENED.add(name());
            }
            throw SocketError.of(Errno.EPERM, "socket with fake provider " + name());
        }
    }

    public static final class Low extends Base {
        @Override
        public String name() {
            return "low";
        }
    }

    public static final class High extends Base {
        @Override
        public String name() {
            return "high";
        }

        @Override
        public int priority() {
            return 5;
        }
    }
}
