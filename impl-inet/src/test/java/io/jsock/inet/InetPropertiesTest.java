package io.jsock.inet;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderProperties;

/** The jsock TCK's properties (random payloads and chunkings) against the inet provider. */
class InetPropertiesTest extends ProviderProperties {
    @Override
    protected SocketProvider provider() {
        return new InetProvider();
    }
}
