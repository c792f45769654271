package io.jsock;

/**
 * The numbers of {@code setsockopt(2)} / {@code getsockopt(2)} levels and options, and of control-message
 * types: every constant of these kinds that Python's {@code socket} module has on Linux, with its
 * value there (x86-64), for {@link Socket#setOption(int, int, int)} and its siblings.
 *
 * <pre>{@code
 * sock.setOption(Sockopt.SOL_SOCKET, Sockopt.SO_REUSEADDR, 1);
 * int v6only = sock.getOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_V6ONLY);
 * }</pre>
 */
public final class Sockopt {
    // Levels (the first argument of setsockopt).
    public static final int SOL_IP = 0;
    public static final int SOL_SOCKET = 1;
    public static final int SOL_TCP = 6;
    public static final int SOL_UDP = 17;
    public static final int SOL_IPV6 = 41;
    public static final int SOL_CAN_BASE = 100;
    public static final int SOL_CAN_RAW = 101;
    public static final int SOL_UDPLITE = 136;
    public static final int SOL_PACKET = 263;
    public static final int SOL_TIPC = 271;
    public static final int SOL_RDS = 276;
    public static final int SOL_ALG = 279;

    // Options at SOL_SOCKET.
    public static final int SO_VM_SOCKETS_BUFFER_SIZE = 0;
    public static final int SO_DEBUG = 1;
    public static final int SO_J1939_FILTER = 1;
    public static final int SO_VM_SOCKETS_BUFFER_MIN_SIZE = 1;
    public static final int SO_J1939_PROMISC = 2;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_VM_SOCKETS_BUFFER_MAX_SIZE = 2;
    public static final int SO_J1939_SEND_PRIO = 3;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_J1939_ERRQUEUE = 4;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_PRIORITY = 12;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_PEERSEC = 31;
    public static final int SO_PASSSEC = 34;
    public static final int SO_MARK = 36;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    public static final int SO_INCOMING_CPU = 49;

    // Control-message types at SOL_SOCKET.
    public static final int SCM_J1939_DEST_ADDR = 1;
    public static final int SCM_RIGHTS = 1;
    public static final int SCM_CREDENTIALS = 2;
    public static final int SCM_J1939_DEST_NAME = 2;
    public static final int SCM_J1939_PRIO = 3;
    public static final int SCM_J1939_ERRQUEUE = 4;

    // Options at IPPROTO_IP.
    public static final int IP_DEFAULT_MULTICAST_LOOP = 1;
    public static final int IP_DEFAULT_MULTICAST_TTL = 1;
    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    public static final int IP_HDRINCL = 3;
    public static final int IP_OPTIONS = 4;
    public static final int IP_RECVOPTS = 6;
    public static final int IP_RECVRETOPTS = 7;
    public static final int IP_RETOPTS = 7;
    public static final int IP_RECVTOS = 13;
    public static final int IP_TRANSPARENT = 19;
    public static final int IP_MAX_MEMBERSHIPS = 20;
    public static final int IP_BIND_ADDRESS_NO_PORT = 24;
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int IP_DROP_MEMBERSHIP = 36;

    // Options at IPPROTO_IPV6.
    public static final int IPV6_RTHDR_TYPE_0 = 0;
    public static final int IPV6_CHECKSUM = 7;
    public static final int IPV6_NEXTHOP = 9;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_JOIN_GROUP = 20;
    public static final int IPV6_LEAVE_GROUP = 21;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_PKTINFO = 50;
    public static final int IPV6_RECVHOPLIMIT = 51;
    public static final int IPV6_HOPLIMIT = 52;
    public static final int IPV6_RECVHOPOPTS = 53;
    public static final int IPV6_HOPOPTS = 54;
    public static final int IPV6_RTHDRDSTOPTS = 55;
    public static final int IPV6_RECVRTHDR = 56;
    public static final int IPV6_RTHDR = 57;
    public static final int IPV6_RECVDSTOPTS = 58;
    public static final int IPV6_DSTOPTS = 59;
    public static final int IPV6_RECVPATHMTU = 60;
    public static final int IPV6_PATHMTU = 61;
    public static final int IPV6_DONTFRAG = 62;
    public static final int IPV6_RECVTCLASS = 66;
    public static final int IPV6_TCLASS = 67;

    // Options at IPPROTO_TCP.
    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CORK = 3;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_SYNCNT = 7;
    public static final int TCP_LINGER2 = 8;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_WINDOW_CLAMP = 10;
    public static final int TCP_INFO = 11;
    public static final int TCP_QUICKACK = 12;
    public static final int TCP_CONGESTION = 13;
    public static final int TCP_USER_TIMEOUT = 18;
    public static final int TCP_FASTOPEN = 23;
    public static final int TCP_NOTSENT_LOWAT = 25;
    public static final int TCP_IS_MPTCP = 43;

    // Options at IPPROTO_UDPLITE.
    public static final int UDPLITE_SEND_CSCOV = 10;
    public static final int UDPLITE_RECV_CSCOV = 11;

    // The protocol levels, as Python has them in the socket module too.
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_UDPLITE = 136;

    private Sockopt() {
    }
}
