package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Ready;
import io.jsock.Selected;
import io.jsock.Selector;
import io.jsock.SelectorKey;
import io.jsock.Shutdown;
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
import static io.jsock.tck.contracts.Readiness.PROMPT;
import static io.jsock.tck.contracts.Readiness.register;
import static io.jsock.tck.contracts.Readiness.text;
import static io.jsock.tck.contracts.Readiness.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness of connection-oriented sockets: Python's {@code selectors.DefaultSelector} and
 * {@code select.select}, level-triggered, over the socket's descriptor.
 */
@ContractGroup(name = "readiness", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ReadinessContract {

    @Contract(id = "stream.readiness.readable-on-data",
            statement = "A connected socket is reported readable once data arrives, on every select until it is read "
                    + "(level-triggered), and no longer after.")
    void readableOnData(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, c.server(), Selector.EVENT_READ, "the server side");
            assertEquals(List.of(), selector.select(Duration.ZERO), "select before anything was sent");
            c.client().sendAll(text("ping"));
            List<Ready> ready = selector.select(LIMIT);
            assertEquals(List.of(new Ready(key, Selector.EVENT_READ)), ready, "select once data was sent");
            assertEquals("the server side", ready.get(0).key().data(), "the key's data comes back");
            assertEquals(List.of(new Ready(key, Selector.EVENT_READ)), selector.select(Duration.ZERO),
                    "select again before reading: level-triggered, still readable");
            c.server().setTimeout(LIMIT);
            assertArrayEquals(text("ping"), c.server().recv(100), "the data that made it readable");
            assertEquals(List.of(), selector.select(Duration.ZERO), "select after everything was read");
        }
    }

    @Contract(id = "stream.readiness.readable-at-end-of-stream",
            statement = "A connected socket is reported readable when the peer ends the stream (shutdown(SHUT_WR)), "
                    + "and recv then returns an empty result at once.")
    void readableAtEndOfStream(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, c.server(), Selector.EVENT_READ, null);
            assertEquals(List.of(), selector.select(Duration.ZERO), "select before the peer ended the stream");
            c.client().shutdown(Shutdown.SHUT_WR);
            assertEquals(List.of(new Ready(key, Selector.EVENT_READ)), selector.select(LIMIT), "select after the peer's SHUT_WR");
            c.server().setBlocking(false);
            assertEquals(0, c.server().recv(100).length, "recv at the end of stream a select reported");
        }
    }

    @Contract(id = "stream.readiness.readable-on-a-pending-connection",
            statement = "A listening socket is reported readable when a connection is pending, and accept then returns it "
                    + "without waiting.")
    void readableOnAPendingConnection(TckTarget t) throws Exception {
        Socket listener = t.listener();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, listener, Selector.EVENT_READ, null);
            assertEquals(List.of(), selector.select(Duration.ZERO), "select on a listener nobody connected to");
            Socket client = t.open();
            client.setTimeout(LIMIT);
            client.connect(listener.getSockName());
            assertEquals(List.of(new Ready(key, Selector.EVENT_READ)), selector.select(LIMIT), "select once a client connected");
            listener.setBlocking(false);
            Socket accepted = t.track(listener.accept());
            accepted.setTimeout(LIMIT);
            client.sendAll(text("hi"));
            assertArrayEquals(text("hi"), accepted.recv(10), "the accepted connection works");
        }
    }

    @Contract(id = "stream.readiness.writable-once-connected",
            statement = "A non-blocking connect is reported writable when it completes, after which getpeername names the peer.")
    void writableOnceConnected(TckTarget t) throws Exception {
        Socket listener = t.listener();
        Socket client = t.open();
        client.setBlocking(false);
        int r = client.connectEx(listener.getSockName());
        assertTrue(r == 0 || r == Errno.EINPROGRESS.code(), "a non-blocking connect_ex gives 0 or EINPROGRESS, got " + r);
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, client, Selector.EVENT_WRITE, null);
            assertEquals(List.of(new Ready(key, Selector.EVENT_WRITE)), selector.select(LIMIT), "select on the connecting socket");
            assertEquals(listener.getSockName(), client.getPeerName(), "getpeername once writable");
        }
    }

    @Contract(id = "stream.readiness.not-writable-with-a-full-send-buffer",
            statement = "A socket whose send buffer is full is not reported writable; it is again once the peer has read.")
    void notWritableWithAFullSendBuffer(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket client = c.client();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, client, Selector.EVENT_WRITE, null);
            assertEquals(List.of(new Ready(key, Selector.EVENT_WRITE)), selector.select(LIMIT), "select on an idle connection");
            Readiness.fill(client);
            assertEquals(List.of(), selector.select(Duration.ZERO), "select with the send buffer full");
            Socket server = c.server();
            server.setBlocking(false);
            assertEquals(List.of(new Ready(key, Selector.EVENT_WRITE)), Readiness.drainUntilWritable(server, selector),
                    "select once the peer read");
        }
    }

    @Contract(id = "stream.readiness.zero-never-waits",
            statement = "select(0) never waits, and select(timeout) with nothing ready returns an empty list after about the timeout.")
    void zeroNeverWaits(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        try (Selector selector = Readiness.open(t)) {
            register(t, selector, c.server(), Selector.EVENT_READ, null);
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                assertEquals(List.of(), selector.select(Duration.ZERO), "select(0) with nothing ready");
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 2_000, "100 select(0) calls took " + ms + " ms: select(0) waited");
            start = System.nanoTime();
            assertEquals(List.of(), selector.select(Duration.ofMillis(200)), "select(200 ms) with nothing ready");
            ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 180, "select(200 ms) returned after " + ms + " ms");
        }
    }

    @Contract(id = "stream.readiness.wakeup-ends-a-select",
            statement = "wakeup() from another thread ends a select that waits with no limit, at once and with an empty list; "
                    + "a wakeup() while nobody selects makes the next select return at once.")
    void wakeupEndsASelect(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        try (Selector selector = Readiness.open(t)) {
            register(t, selector, c.server(), Selector.EVENT_READ, null);
            TckTarget.Background<List<Ready>> waiting = t.background("select(None)", () -> selector.select(null));
            waitFor("the selecting thread to wait", () -> Readiness.inSelect(waiting.thread()));
            selector.wakeup();
            assertEquals(List.of(), waiting.get(PROMPT), "what a woken select returns");
            selector.wakeup();
            assertEquals(List.of(), t.within("select(None) after an earlier wakeup()", PROMPT, () -> selector.select(null)),
                    "select after a wakeup() nobody waited for");
        }
    }

    @Contract(id = "stream.readiness.virtual-thread-select-leaves-scheduler-free",
            statement = "select with no limit on many more virtual threads than there are carrier threads, each with its own "
                    + "selector, leaves the scheduler free: another virtual thread runs at once, and each select returns its "
                    + "socket once data arrives (Java 21 and later).")
    void virtualThreadSelectLeavesSchedulerFree(TckTarget t) throws Exception {
        java.util.concurrent.ThreadFactory virtual = Readiness.virtualThreads(t);
        int count = 4 * Runtime.getRuntime().availableProcessors() + 4;
        List<Selector> selectors = new java.util.ArrayList<>();
        List<TckTarget.Connection> connections = new java.util.ArrayList<>();
        List<java.util.concurrent.CompletableFuture<List<Ready>>> results = new java.util.ArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                TckTarget.Connection c = t.connection();
                Selector selector = Readiness.open(t);
                selectors.add(selector);
                connections.add(c);
                register(t, selector, c.server(), Selector.EVENT_READ, i);
                java.util.concurrent.CompletableFuture<List<Ready>> result = new java.util.concurrent.CompletableFuture<>();
                results.add(result);
                Thread th = virtual.newThread(() -> {
                    try {
                        result.complete(selector.select(null));
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                waitFor("every virtual thread to wait in select", () -> Readiness.inSelect(th));
            }
            java.util.concurrent.CompletableFuture<Boolean> ran = new java.util.concurrent.CompletableFuture<>();
            virtual.newThread(() -> ran.complete(true)).start();
            assertTrue(ran.get(5, java.util.concurrent.TimeUnit.SECONDS), "a fresh virtual thread ran");
            for (int i = 0; i < count; i++) {
                connections.get(i).client().sendAll(text("go"));
            }
            for (int i = 0; i < count; i++) {
                List<Ready> got = results.get(i).get(LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                assertEquals(List.of(new Ready(selectors.get(i).getKey(connections.get(i).server()), Selector.EVENT_READ)), got,
                        "the select of virtual thread " + i);
            }
        } finally {
            selectors.forEach(Selector::wakeup);
            selectors.forEach(Selector::close);
        }
    }

    @Contract(id = "stream.readiness.closed-registered-socket-is-dropped",
            statement = "A registered socket closed while another thread selects is never reported and raises nothing there; "
                    + "a new socket given its descriptor number is reported under its own key only, and unregistering the "
                    + "closed socket leaves the new one watched.")
    void closedRegisteredSocketIsDropped(TckTarget t) throws Exception {
        TckTarget.Connection first = t.connection();
        TckTarget.Connection other = t.connection();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey old = register(t, selector, first.server(), Selector.EVENT_READ, "old");
            SelectorKey watcher = selector.register(other.server(), Selector.EVENT_READ, "other");
            TckTarget.Background<List<Ready>> waiting = t.background("select(10 s)", () -> selector.select(LIMIT));
            waitFor("the selecting thread to wait", () -> Readiness.inSelect(waiting.thread()));
            int number = first.server().fileno();
            first.server().close();
            other.client().sendAll(text("x"));
            assertEquals(List.of(new Ready(watcher, Selector.EVENT_READ)), waiting.get(LIMIT),
                    "the select that was waiting when a registered socket closed");
            assertEquals(List.of(new Ready(watcher, Selector.EVENT_READ)), selector.select(Duration.ZERO),
                    "select after the close: the closed socket is never reported");
            // the lowest free number goes to the next descriptor: open until one gets the closed socket's
            Socket reuse = t.open();
            for (int i = 0; i < 64 && reuse.fileno() != number; i++) {
                reuse = t.open();
            }
            assertEquals(number, reuse.fileno(), "no new socket got the closed one's descriptor " + number);
            reuse.bind(t.bindAddress());
            reuse.listen(4);
            SelectorKey fresh = selector.register(reuse, Selector.EVENT_READ, "new");
            Socket knocking = t.open();
            knocking.setTimeout(LIMIT);
            knocking.connect(reuse.getSockName());
            waitFor("the new socket to be readable", () -> {
                try {
                    return selector.select(Duration.ZERO).contains(new Ready(fresh, Selector.EVENT_READ));
                } catch (SocketError e) {
                    throw new AssertionError(e);
                }
            });
            for (Ready r : selector.select(Duration.ZERO)) {
                assertTrue(r.key() != old, "the closed socket's key was reported for descriptor " + number + ", now the new socket's");
            }
            assertSame(old, selector.unregister(first.server()), "unregister of the closed socket returns its key");
            assertTrue(selector.select(Duration.ZERO).contains(new Ready(fresh, Selector.EVENT_READ)),
                    "the new socket on descriptor " + number + " is still watched after the closed one was unregistered");
            assertThrows(IllegalArgumentException.class, () -> selector.getKey(first.server()), "getKey once unregistered");
        }
    }

    @Contract(id = "stream.readiness.sockets-select-reports-each-list",
            statement = "Sockets.select (Python's select.select) returns the readable, writable and exceptional sockets of "
                    + "the lists given, and rejects a closed socket with IllegalArgumentException before waiting.")
    void socketsSelectReportsEachList(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket server = c.server();
        Socket client = c.client();
        Selected idle = t.optional("select.select (it needs fileno())",
                () -> Sockets.select(List.of(server, client), List.of(client), List.of(server), Duration.ZERO));
        assertEquals(new Selected(List.of(), List.of(client), List.of()), idle, "select.select on an idle connection");
        client.sendAll(text("data"));
        waitFor("the server side to be readable", () -> {
            try {
                return !Sockets.select(List.of(server), List.of(), List.of(), Duration.ZERO).readable().isEmpty();
            } catch (SocketError e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(new Selected(List.of(server), List.of(server, client), List.of()),
                Sockets.select(List.of(client, server), List.of(server, client), List.of(), LIMIT),
                "select.select once data was sent, in the order of the lists");
        Socket closed = t.open();
        closed.close();
        assertThrows(IllegalArgumentException.class, () -> Sockets.select(List.of(closed), List.of(), List.of(), null),
                "select.select with a closed socket");
        assertThrows(IllegalArgumentException.class, () -> Sockets.select(List.of(server), List.of(), List.of(), Duration.ofSeconds(-1)),
                "select.select with a negative timeout");
    }

    @Contract(id = "stream.readiness.misuse-raises-illegal-argument",
            statement = "Registering a socket twice or a closed one, events other than a non-empty combination of EVENT_READ "
                    + "and EVENT_WRITE, and modify, unregister or getKey of a socket not registered raise IllegalArgumentException "
                    + "(Python's KeyError and ValueError).")
    void misuseRaisesIllegalArgument(TckTarget t) throws Exception {
        Socket s = t.listener();
        Socket stranger = t.open();
        try (Selector selector = Readiness.open(t)) {
            SelectorKey key = register(t, selector, s, Selector.EVENT_READ, null);
            assertThrows(IllegalArgumentException.class, () -> selector.register(s, Selector.EVENT_READ, null), "register twice");
            assertThrows(IllegalArgumentException.class, () -> selector.register(stranger, 0, null), "register with events 0");
            assertThrows(IllegalArgumentException.class, () -> selector.register(stranger, 4, null), "register with events 4");
            assertThrows(IllegalArgumentException.class, () -> selector.modify(stranger, Selector.EVENT_READ, null), "modify a stranger");
            assertThrows(IllegalArgumentException.class, () -> selector.unregister(stranger), "unregister a stranger");
            assertThrows(IllegalArgumentException.class, () -> selector.getKey(stranger), "getKey of a stranger");
            assertEquals(key, selector.getKey(s), "getKey of the registered socket");
            SelectorKey both = selector.modify(s, Selector.EVENT_READ | Selector.EVENT_WRITE, "both");
            assertEquals(new SelectorKey(s, key.fd(), 3, "both"), both, "the modified key");
            assertEquals(java.util.Map.of(s, both), selector.getMap(), "getMap after modify");
            assertSame(both, selector.unregister(s), "unregister returns the key");
            assertEquals(java.util.Map.of(), selector.getMap(), "getMap after unregister");
            stranger.close();
            assertThrows(IllegalArgumentException.class, () -> selector.register(stranger, Selector.EVENT_READ, null), "register a closed socket");
        }
    }
}
