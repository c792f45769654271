package io.jsock.raw;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderTck;

/** The TCK against the raw provider: the raw group on AF_INET SOCK_RAW ICMP, AF_INET6 SOCK_RAW ICMPv6, AF_PACKET SOCK_RAW and SOCK_DGRAM. */
class RawTckTest extends ProviderTck {
    @Override
    protected SocketProvider provider() {
        return new RawProvider();
    }
}
