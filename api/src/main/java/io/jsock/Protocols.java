package io.jsock;

/** Protocol numbers for the third argument of {@link Sockets#socket(AddressFamily, SocketType, int)}. */
public final class Protocols {
    /** The family's default protocol for the type. */
    public static final int DEFAULT = 0;
    /** {@code IPPROTO_IP}: the IP level for options; as a protocol, the same as {@link #DEFAULT}. */
    public static final int IPPROTO_IP = 0;
    /** {@code IPPROTO_ICMP}. */
    public static final int IPPROTO_ICMP = 1;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = 6;
    /** {@code IPPROTO_UDP}. */
    public static final int IPPROTO_UDP = 17;
    /** {@code IPPROTO_IPV6}. */
    public static final int IPPROTO_IPV6 = 41;
    /** {@code IPPROTO_ICMPV6}. */
    public static final int IPPROTO_ICMPV6 = 58;
    /** {@code IPPROTO_SCTP}. */
    public static final int IPPROTO_SCTP = 132;
    /** {@code IPPROTO_UDPLITE}: UDP-Lite (RFC 3828) on {@code SOCK_DGRAM}. */
    public static final int IPPROTO_UDPLITE = 136;
    /** {@code IPPROTO_RAW}. */
    public static final int IPPROTO_RAW = 255;
    /** {@code IPPROTO_MPTCP}: Multipath TCP on {@code SOCK_STREAM}; Linux's number, above 255 unlike the others. */
    public static final int IPPROTO_MPTCP = 262;

    private Protocols() {
    }
}
