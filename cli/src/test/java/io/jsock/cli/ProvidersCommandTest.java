package io.jsock.cli;

import io.jsock.spi.SocketProvider;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which provider {@code jsock providers} says wins a triple: priority, then -Djsock.provider. */
class ProvidersCommandTest {
    private final SocketProvider refusing = new FakeProviders.Refusing();   // priority 5
    private final SocketProvider wrapped = new FakeProviders.Wrapped();     // priority -1

    @Test
    void theHighestPriorityWins() {
        String out = ProvidersCommand.render(List.of(refusing, wrapped), null);
        assertEquals(String.join("\n",
                "refusing  priority 5  " + FakeProviders.Refusing.class.getName(),
                "    AF_INET   SOCK_STREAM     used",
                "wrapped-inet  priority -1  " + FakeProviders.Wrapped.class.getName(),
                "    AF_INET   SOCK_STREAM     not used: refusing wins (priority 5 > -1)",
                ""), out);
    }

    @Test
    void theSystemPropertyWinsOverPriority() {
        String out = ProvidersCommand.render(List.of(refusing, wrapped), "wrapped-inet");
        assertTrue(out.contains("    AF_INET   SOCK_STREAM     not used: wrapped-inet wins (-Djsock.provider=wrapped-inet)\n"), out);
        assertTrue(out.contains("    AF_INET   SOCK_STREAM     used (-Djsock.provider=wrapped-inet)\n"), out);
    }

    @Test
    void aPropertyNamingNoProviderIsReported() {
        String out = ProvidersCommand.render(List.of(refusing), "nope");
        assertTrue(out.startsWith("warning: -Djsock.provider=nope names no installed provider"), out);
    }
}
