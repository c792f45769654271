package io.jsock.datagram;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderProperties;

/** The TCK's jqwik properties against the datagram provider. */
class DatagramPropertiesTest extends ProviderProperties {
    @Override
    protected SocketProvider provider() {
        return new DatagramProvider();
    }
}
