package io.jsock;

import java.net.SocketAddress;
import java.util.List;

/**
 * What {@link Socket#recvMsgInto} received, as Python's {@code recvmsg_into} returns {@code (nbytes,
 * ancdata, msg_flags, address)}.
 *
 * @param bytes     how many bytes were stored across the buffers
 * @param ancillary the control messages, in the order the kernel wrote them
 * @param flags     the flags out ({@link MessageFlags#MSG_TRUNC}, {@link MessageFlags#MSG_CTRUNC}, ...)
 * @param address   the sender; {@code null} on a stream or connected socket
 */
public record MessageInto(int bytes, List<Ancillary> ancillary, int flags, SocketAddress address) {
    public MessageInto {
        ancillary = List.copyOf(ancillary);
    }
}
