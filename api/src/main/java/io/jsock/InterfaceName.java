package io.jsock;

import java.util.Objects;

/**
 * One network interface as {@link Sockets#ifNameIndex()} lists it: Python's {@code (index, name)}
 * pair of {@code socket.if_nameindex()}, C's {@code struct if_nameindex}.
 *
 * @param index the interface index, 1 or more
 * @param name  the interface name, for example {@code lo} or {@code eth0}
 */
public record InterfaceName(int index, String name) {
    /** Checks that the name is given. */
    public InterfaceName {
        Objects.requireNonNull(name, "name");
    }
}
