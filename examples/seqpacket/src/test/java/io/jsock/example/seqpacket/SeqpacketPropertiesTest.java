package io.jsock.example.seqpacket;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderProperties;

/** The TCK's jqwik properties, run against this provider. */
class SeqpacketPropertiesTest extends ProviderProperties {
    @Override
    protected SocketProvider provider() {
        return new SeqpacketProvider();
    }
}
