package io.jsock.inet;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderTck;

/** The jsock TCK against the inet provider: every TCP contract over AF_INET and AF_INET6. */
class InetTckTest extends ProviderTck {
    @Override
    protected SocketProvider provider() {
        return new InetProvider();
    }
}
