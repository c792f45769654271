package io.jsock;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Socket#recvMsg} received, as Python's {@code recvmsg} returns {@code (data, ancdata,
 * msg_flags, address)}. Two are equal when their bytes, control messages, flags and addresses are.
 *
 * @param data      the bytes (at most the bufsize asked for)
 * @param ancillary the control messages, in the order the kernel wrote them
 * @param flags     the flags out: {@link MessageFlags#MSG_TRUNC}, {@link MessageFlags#MSG_CTRUNC},
 *                  {@link MessageFlags#MSG_EOR}, ...
 * @param address   the sender; {@code null} on a stream or connected socket
 */
public record Message(byte[] data, List<Ancillary> ancillary, int flags, SocketAddress address) {
    public Message {
        Objects.requireNonNull(data, "data");
        ancillary = List.copyOf(ancillary);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && Arrays.equals(data, m.data) && ancillary.equals(m.ancillary) && flags == m.flags
                && Objects.equals(address, m.address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), ancillary, flags, address);
    }

    @Override
    public String toString() {
        return "Message[" + data.length + " bytes, " + ancillary + ", flags 0x" + Integer.toHexString(flags) + ", from "
                + address + "]";
    }
}
