package io.jsock.unix;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderTck;

/** The whole TCK against the unix provider: stream and datagram contracts, and the AF_UNIX group. */
class UnixTckTest extends ProviderTck {
    @Override
    protected SocketProvider provider() {
        return new UnixProvider();
    }
}
