/** jsock's TCP provider: SOCK_STREAM over AF_INET and AF_INET6 on jsock's system-call layer. */
module io.jsock.inet {
    requires transitive io.jsock; // its provider class names io.jsock types
    requires io.jsock.core;

    exports io.jsock.inet;

    provides io.jsock.spi.SocketProvider with io.jsock.inet.InetProvider;
}
