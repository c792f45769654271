package io.jsock.datagram;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderTck;

/** The whole TCK against the datagram provider: every datagram group for AF_INET and AF_INET6. */
class DatagramTckTest extends ProviderTck {
    @Override
    protected SocketProvider provider() {
        return new DatagramProvider();
    }
}
