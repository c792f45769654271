package io.jsock;

import java.util.Arrays;
import java.util.Objects;

/**
 * One control message (a {@code cmsghdr}) of {@link Socket#sendMsg} and {@link Socket#recvMsg}, as
 * Python's {@code (cmsg_level, cmsg_type, cmsg_data)}. Two are equal when their level, type and bytes are.
 *
 * @param level the protocol level, e.g. {@link Sockopt#SOL_SOCKET} or {@link Sockopt#IPPROTO_IP}
 * @param type  the type at that level, e.g. {@link Sockopt#SCM_RIGHTS} or {@link Sockopt#IPV6_PKTINFO}
 * @param data  the raw payload in native byte order (descriptors of SCM_RIGHTS are native ints)
 */
public record Ancillary(int level, int type, byte[] data) {
    public Ancillary {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ancillary a && level == a.level && type == a.type && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return (31 * level + type) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Ancillary[level " + level + ", type " + type + ", " + data.length + " bytes]";
    }
}
