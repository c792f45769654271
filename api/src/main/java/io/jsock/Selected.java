package io.jsock;

import java.util.List;

/**
 * What {@link Sockets#select} returns: Python's {@code (rlist, wlist, xlist)}, each the ready
 * sockets of the list given, in its order.
 */
public record Selected(List<Socket> readable, List<Socket> writable, List<Socket> exceptional) {
    public Selected {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
        exceptional = List.copyOf(exceptional);
    }
}
