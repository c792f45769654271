/**
 * jsock's system-call layer: one Java method per Linux system call, the errno as an integer from
 * the call, descriptors that close once no call uses them, sockaddr codecs, the poller that parks
 * virtual threads, and the one socket class every built-in provider hands out. Not for users: it
 * is exported only to jsock's own provider modules.
 */
@SuppressWarnings("module") // the providers it exports to are compiled after it
module io.jsock.core {
    requires transitive io.jsock;
    requires org.jnrproject.jffi;

    exports io.jsock.core to io.jsock.inet, io.jsock.datagram, io.jsock.unix, io.jsock.raw;

    provides io.jsock.spi.ReadinessProvider with io.jsock.core.EpollReadiness;
}
