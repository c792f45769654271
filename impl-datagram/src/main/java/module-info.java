/** jsock's UDP provider: SOCK_DGRAM over AF_INET and AF_INET6 on JDK NIO. */
module io.jsock.datagram {
    requires transitive io.jsock; // its provider class names io.jsock types

    exports io.jsock.datagram;

    provides io.jsock.spi.SocketProvider with io.jsock.datagram.DatagramProvider;
}
