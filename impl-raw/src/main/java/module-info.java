/**
 * jsock's raw provider: SOCK_RAW over AF_INET and AF_INET6 with any protocol (ICMP, ICMPv6, raw
 * IP with IP_HDRINCL), and AF_PACKET SOCK_RAW and SOCK_DGRAM, on Linux, on jsock's system-call layer.
 */
module io.jsock.raw {
    requires transitive io.jsock; // its provider class names io.jsock types
    requires io.jsock.core;

    exports io.jsock.raw;

    provides io.jsock.spi.SocketProvider with io.jsock.raw.RawProvider;
}
