package io.jsock.differential;

import io.jsock.AddressFamily;
import io.jsock.SocketType;

import java.util.ArrayList;
import java.util.List;

/** The family and type a sequence runs on, and the ops the generator draws from for it. */
enum Kind {
    TCP4("tcp4", AddressFamily.AF_INET, SocketType.SOCK_STREAM),
    TCP6("tcp6", AddressFamily.AF_INET6, SocketType.SOCK_STREAM),
    UDP4("udp4", AddressFamily.AF_INET, SocketType.SOCK_DGRAM),
    UDP6("udp6", AddressFamily.AF_INET6, SocketType.SOCK_DGRAM),
    UNIX_STREAM("unix_stream", AddressFamily.AF_UNIX, SocketType.SOCK_STREAM),
    UNIX_DGRAM("unix_dgram", AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);

    /**
     * Ops on A, simplest first: jqwik shrinks an op towards the start of the list. No {@code recv:0}:
     * CPython's recv(0) answers b'' even on a closed socket, where jsock's SPEC says EBADF
     * (DifferentialCasesTest keeps that one difference, and recv(0) on open sockets, as cases).
     */
    private static final List<String> OPS = List.of(
            "getsockname", "getpeername", "close", "socket", "setblocking:0", "setblocking:1", "settimeout",
            "bind:lo0", "bind:any0", "bind:B", "bind:R",
            "listen:0", "listen:1", "listen:5",
            "connect:B", "connect:R", "connect:self", "connect:lo0",
            "connect_ex:B", "connect_ex:R", "connect_ex:self",
            "accept", "accepted",
            "send:0", "send:1", "send:70000", "sendall:1", "sendall:70000",
            "sendto:0:B", "sendto:1:B", "sendto:1:R", "sendto:1:self", "sendto:70000:B",
            "recv:1", "recv:65536", "recv:100000", "recv_into:1", "recv_into:100000",
            "recvfrom:0", "recvfrom:1", "recvfrom:65536",
            "shutdown:RD", "shutdown:WR", "shutdown:RDWR");
    private static final List<String> STREAM_PEER_OPS = List.of(
            "peer_accept", "peer_connect", "peer_send:1", "peer_send:70000", "peer_recv", "peer_close", "peer_reset");
    private static final List<String> DATAGRAM_PEER_OPS = List.of("peer_send:0", "peer_send:1", "peer_recv");

    /** The kind's name in a sequence's line, as differential.py reads it. */
    final String word;
    final AddressFamily family;
    final SocketType type;

    Kind(String word, AddressFamily family, SocketType type) {
        this.word = word;
        this.family = family;
        this.type = type;
    }

    boolean stream() {
        return type == SocketType.SOCK_STREAM;
    }

    /** The ops on A, then the harness's ops for this kind's peer. */
    List<String> ops() {
        List<String> all = new ArrayList<>(OPS);
        all.addAll(peerOps());
        return all;
    }

    List<String> peerOps() {
        return stream() ? STREAM_PEER_OPS : DATAGRAM_PEER_OPS;
    }
}
