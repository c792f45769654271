package io.jsock.example.seqpacket;

import io.jsock.spi.SocketProvider;
import io.jsock.tck.ProviderTck;

/** Every TCK contract that applies to AF_UNIX SOCK_SEQPACKET, run against this provider. */
class SeqpacketTckTest extends ProviderTck {
    @Override
    protected SocketProvider provider() {
        return new SeqpacketProvider();
    }
}
