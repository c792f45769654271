package io.jsock.tck.contracts;

import io.jsock.Ready;
import io.jsock.Selected;
import io.jsock.Selector;
import io.jsock.SelectorKey;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.Sockets;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.time.Duration;
import java.util.List;

import static io.jsock.tck.contracts.Readiness.LIMIT;
import static io.jsock.tck.contracts.Readiness.register;
import static io.jsock.tck.contracts.Readiness.text;
import static io.jsock.tck.contracts.Readiness.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Readiness of datagram sockets: Python's {@code selectors.DefaultSelector} and {@code select.select}. */
@ContractGroup(name = "readiness", appliesTo = Semantics.DATAGRAM)
public final class DatagramReadinessContract {

    @Contract(id = "datagram.readiness.readable-on-a-datagram",
            statement = "A datagram socket is reported readable while a datagram is queued, on every select until it is read, "
                    + "and no longer after.")
    void readableOnADatagram(TckTarget t) throws Exception {
        Socket a = t.bound();
        Socket b = t.bound();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, b, Selector.EVENT_READ, "b");
            assertEquals(List.of(), selector.select(Duration.ZERO), "select with nothing queued");
            a.sendTo(text("dgram"), b.getSockName());
            assertEquals(List.of(new Ready(key, Selector.EVENT_READ)), selector.select(LIMIT), "select once a datagram was sent");
            assertEquals(List.of(new Ready(key, Selector.EVENT_READ)), selector.select(Duration.ZERO),
                    "select again before reading: level-triggered");
            b.setBlocking(false);
            assertArrayEquals(text("dgram"), b.recvFrom(100).data(), "the datagram that made it readable");
            assertEquals(List.of(), selector.select(Duration.ZERO), "select once it was read");
        }
    }

    @Contract(id = "datagram.readiness.writable-when-idle",
            statement = "A bound datagram socket with room in its send buffer is reported writable, and readable too when "
                    + "registered for both with a datagram queued.")
    void writableWhenIdle(TckTarget t) throws Exception {
        Socket a = t.bound();
        Socket b = t.bound();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, b, Selector.EVENT_WRITE, null);
            assertEquals(List.of(new Ready(key, Selector.EVENT_WRITE)), selector.select(LIMIT), "select on an idle datagram socket");
            SelectorKey both = selector.modify(b, Selector.EVENT_READ | Selector.EVENT_WRITE, null);
            a.sendTo(text("x"), b.getSockName());
            waitFor("the datagram to be readable", () -> {
                try {
                    return selector.select(Duration.ZERO).equals(List.of(new Ready(both, Selector.EVENT_READ | Selector.EVENT_WRITE)));
                } catch (SocketError e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Contract(id = "datagram.readiness.closed-registered-socket-is-dropped",
            statement = "A registered datagram socket closed with a datagram queued is never reported again, and unregister "
                    + "still removes its key.")
    void closedRegisteredSocketIsDropped(TckTarget t) throws Exception {
        Socket a = t.bound();
        Socket b = t.bound();
        Socket c = t.bound();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey gone = register(t, selector, b, Selector.EVENT_READ, null);
            SelectorKey stays = selector.register(c, Selector.EVENT_READ, null);
            a.sendTo(text("to b"), b.getSockName());
            waitFor("b to be readable", () -> {
                try {
                    return !selector.select(Duration.ZERO).isEmpty();
                } catch (SocketError e) {
                    throw new AssertionError(e);
                }
            });
            b.close();
            assertEquals(List.of(), selector.select(Duration.ZERO), "select once the readable socket was closed");
            a.sendTo(text("to c"), c.getSockName());
            assertEquals(List.of(new Ready(stays, Selector.EVENT_READ)), selector.select(LIMIT), "select on the socket left");
            assertSame(gone, selector.unregister(b), "unregister of the closed socket");
        }
    }

    @Contract(id = "datagram.readiness.sockets-select-reports-each-list",
            statement = "Sockets.select (Python's select.select) reports a datagram socket readable once a datagram is queued "
                    + "and writable while it has room.")
    void socketsSelectReportsEachList(TckTarget t) throws Exception {
        Socket a = t.bound();
        Socket b = t.bound();
        Selected idle = t.optional("select.select (it needs fileno())",
                () -> Sockets.select(List.of(b), List.of(b), List.of(b), Duration.ZERO));
        assertEquals(new Selected(List.of(), List.of(b), List.of()), idle, "select.select with nothing queued");
        a.sendTo(text("dgram"), b.getSockName());
        assertEquals(new Selected(List.of(b), List.of(), List.of()), Sockets.select(List.of(b, a), List.of(), List.of(), LIMIT),
                "select.select once a datagram was sent");
    }
}
