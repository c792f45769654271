package io.jsock;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * One received message and its sender, as Python's {@code recvfrom} returns {@code (bytes, address)}.
 * Two datagrams are equal when their bytes and addresses are.
 *
 * @param data    the message's bytes (at most the bufsize asked for; a longer message was truncated)
 * @param address the sender; for a stream socket, the peer or {@code null} as the provider documents
 */
public record Datagram(byte[] data, SocketAddress address) {
    public Datagram {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram d && Arrays.equals(data, d.data) && Objects.equals(address, d.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Objects.hashCode(address);
    }

    @Override
    public String toString() {
        return "Datagram[" + data.length + " bytes from " + address + "]";
    }
}
