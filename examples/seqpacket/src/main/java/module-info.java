/**
 * An example of a third-party jsock provider: AF_UNIX SOCK_SEQPACKET on Linux through jnr-ffi,
 * built on nothing of jsock but its public API and SPI.
 */
module io.jsock.example.seqpacket {
    requires transitive io.jsock;
    requires org.jnrproject.ffi;
    requires org.jnrproject.jffi;

    exports io.jsock.example.seqpacket;

    provides io.jsock.spi.SocketProvider with io.jsock.example.seqpacket.SeqpacketProvider;
}
