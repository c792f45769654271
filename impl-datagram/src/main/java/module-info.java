/** jsock's UDP provider: SOCK_DGRAM over AF_INET and AF_INET6 on jsock's system-call layer. */
module io.jsock.datagram {
    requires transitive io.jsock; // its provider class names io.jsock types
    requires io.jsock.core;

    exports io.jsock.datagram;

    provides io.jsock.spi.SocketProvider with io.jsock.datagram.DatagramProvider;
}
