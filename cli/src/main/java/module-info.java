/**
 * jsock.jar's command line: {@code providers}, {@code tck}, {@code echo} and {@code cat}. Uses the
 * providers it finds at run time; compiles against none.
 */
module io.jsock.cli {
    requires io.jsock;
    requires io.jsock.tck;
    requires io.jsock.server;

    uses io.jsock.spi.SocketProvider;
}
