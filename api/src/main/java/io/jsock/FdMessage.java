package io.jsock;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Sockets#recvFds} received, as Python's {@code recv_fds} returns {@code (data, fds,
 * msg_flags, address)}: the descriptors are the caller's to close. Two are equal when their bytes,
 * descriptors, flags and addresses are.
 *
 * @param data    the bytes
 * @param fds     the descriptors received (SCM_RIGHTS), opened close-on-exec
 * @param flags   the flags out; {@link MessageFlags#MSG_CTRUNC} when descriptors did not fit (they were closed)
 * @param address the sender; {@code null} on a stream or connected socket
 */
public record FdMessage(byte[] data, int[] fds, int flags, SocketAddress address) {
    public FdMessage {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(fds, "fds");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FdMessage m && Arrays.equals(data, m.data) && Arrays.equals(fds, m.fds) && flags == m.flags
                && Objects.equals(address, m.address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), Arrays.hashCode(fds), flags, address);
    }

    @Override
    public String toString() {
        return "FdMessage[" + data.length + " bytes, fds " + Arrays.toString(fds) + ", flags 0x" + Integer.toHexString(flags)
                + ", from " + address + "]";
    }
}
