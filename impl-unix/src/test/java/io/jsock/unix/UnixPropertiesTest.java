package io.jsock.unix;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderProperties;

/** The TCK's jqwik properties against the unix provider. */
class UnixPropertiesTest extends ProviderProperties {
    @Override
    protected SocketProvider provider() {
        return new UnixProvider();
    }
}
