/**
 * jsock's AF_UNIX provider: SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET, path, abstract and unnamed addresses,
 * socketpair and peer credentials, on Linux, on jsock's system-call layer.
 */
module io.jsock.unix {
    requires transitive io.jsock; // its provider class names io.jsock types
    requires org.jnrproject.jffi;
    requires io.jsock.core;

    exports io.jsock.unix;

    provides io.jsock.spi.SocketProvider with io.jsock.unix.UnixProvider;
}
