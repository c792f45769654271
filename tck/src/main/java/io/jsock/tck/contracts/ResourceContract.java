package io.jsock.tck.contracts;

import static org.junit.jupiter.api.Assertions.assertTrue;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Resource leaks of connection-oriented sockets, counted in {@code /proc/self/fd}: whatever path a
 * socket's life takes, closing it gives its descriptors back. Each case repeats its path many
 * times, so a leak of one descriptor per socket stands far above the few the JVM may open meanwhile.
 */
@ContractGroup(name = "resources", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ResourceContract {
    /** Descriptors the rest of the JVM (class loading, the test runner) may open while a case runs. */
    private static final int SLACK = 3;
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Contract(id = "stream.resources.descriptors-return-after-many-cycles",
            statement = "After 2000 cycles of open, connect, accept, exchange and close, the process has as many descriptors open as before.")
    void descriptorsReturnAfterManyCycles(TckTarget t) throws Exception {
        Socket listener = t.listener();
        SocketAddress address = listener.getSockName();
        listener.setTimeout(LIMIT);
        cycle(t, listener, address, 20); // loads classes and lazily made provider state first
        int before = t.openDescriptors();
        cycle(t, listener, address, 2000);
        assertSettles(t, before, "2000 open/connect/accept/close cycles");
    }

    @Contract(id = "stream.resources.timed-out-sockets-leak-nothing",
            statement = "Sockets whose recv or accept timed out give back every descriptor when closed.")
    void timedOutSocketsLeakNothing(TckTarget t) throws Exception {
        Socket listener = t.listener();
        listener.setTimeout(LIMIT);
        SocketAddress address = listener.getSockName();
        timeouts(t, listener, address, 3);
        int before = t.openDescriptors();
        timeouts(t, listener, address, 40);
        assertSettles(t, before, "40 connections whose recv timed out and 40 timed-out accepts");
    }

    @Contract(id = "stream.resources.closed-from-another-thread-leaks-nothing",
            statement = "Sockets closed by another thread while blocked in recv give back every descriptor.")
    void closedFromAnotherThreadLeaksNothing(TckTarget t) throws Exception {
        Socket listener = t.listener();
        listener.setTimeout(LIMIT);
        SocketAddress address = listener.getSockName();
        closeWhileBlocked(t, listener, address, 2);
        int before = t.openDescriptors();
        closeWhileBlocked(t, listener, address, 20);
        assertSettles(t, before, "20 sockets closed from another thread while blocked in recv");
    }

    @Contract(id = "stream.resources.failed-connects-leak-nothing",
            statement = "Sockets whose connect was refused, and sockets whose bind failed with EADDRINUSE, give back every descriptor when closed.")
    void failedConnectsLeakNothing(TckTarget t) throws Exception {
        SocketAddress refusing = t.refusingAddress();
        Socket holder = t.listener();
        SocketAddress taken = holder.getSockName();
        failures(t, refusing, taken, 3);
        int before = t.openDescriptors();
        failures(t, refusing, taken, 200);
        assertSettles(t, before, "200 refused connects and 200 failed binds");
    }

    private static void cycle(TckTarget t, Socket listener, SocketAddress address, int times) throws Exception {
        byte[] one = {1};
        for (int i = 0; i < times; i++) {
            try (Socket client = t.provider().open(t.family(), t.type(), t.proto())) {
                client.connect(address);
                try (Socket server = listener.accept().socket()) {
                    client.sendAll(one);
                    server.setTimeout(LIMIT);
                    assertArrayEquals(one, server.recv(1), "recv on the accepted socket of cycle " + i);
                }
            }
        }
    }

    private static void timeouts(TckTarget t, Socket listener, SocketAddress address, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            try (Socket client = t.provider().open(t.family(), t.type(), t.proto())) {
                client.connect(address);
                try (Socket server = listener.accept().socket()) {
                    server.setTimeout(Duration.ofMillis(5));
                    assertThrows(SocketTimeoutError.class, () -> server.recv(1), "recv with a 5 ms timeout on an idle connection, round " + i);
                }
            }
            listener.setTimeout(Duration.ofMillis(5));
            assertThrows(SocketTimeoutError.class, listener::accept, "accept with a 5 ms timeout and no client, round " + i);
            listener.setTimeout(LIMIT);
        }
    }

    private static void closeWhileBlocked(TckTarget t, Socket listener, SocketAddress address, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            try (Socket client = t.provider().open(t.family(), t.type(), t.proto())) {
                client.connect(address);
                Socket server = listener.accept().socket();
                try {
                    TckTarget.Background<byte[]> reader = t.background("recv blocked on accepted socket " + i, () -> server.recv(1));
                    reader.awaitInside(server, "recv", LIMIT);
                    server.close();
                    Throwable failure = reader.failure(LIMIT);
                    assertEquals(Errno.EBADF, failure instanceof SocketError e ? e.errno() : null,
                            "recv ended by close() from another thread, round " + i + ": " + failure);
                } finally {
                    server.close();
                }
            }
        }
    }

    private static void failures(TckTarget t, SocketAddress refusing, SocketAddress taken, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            try (Socket s = t.provider().open(t.family(), t.type(), t.proto())) {
                TckTarget.assertErrno(Errno.ECONNREFUSED, "connect to " + refusing + ", round " + i, () -> ErrorContract.call(() -> s.connect(refusing)));
            }
            try (Socket s = t.provider().open(t.family(), t.type(), t.proto())) {
                TckTarget.assertErrno(Errno.EADDRINUSE, "bind to " + taken + ", round " + i, () -> ErrorContract.call(() -> s.bind(taken)));
            }
        }
    }

    private static void assertSettles(TckTarget t, int before, String what) {
        int[] now = {0};
        try {
            TckTarget.await("the descriptor count to settle back to " + before + " (+" + SLACK + ") after " + what, SETTLE, () -> {
                now[0] = t.openDescriptors();
                return now[0] <= before + SLACK;
            });
        } catch (AssertionError e) {
            throw new AssertionError("open descriptors went from " + before + " to " + now[0] + " after " + what + " (all closed)", e);
        }
    }

    @Contract(id = "stream.resources.timeout-mode-needs-no-extra-descriptors",
            statement = "A socket in timeout mode holds its one descriptor and no other, also while and after a timed recv "
                    + "waits (as CPython's, which waits in poll(2)).")
    void timeoutModeNeedsNoExtraDescriptors(TckTarget t) throws Exception {
        Socket listener = t.listener();
        listener.setTimeout(LIMIT);
        int before = t.openDescriptors();
        int sockets = 0;
        for (int i = 0; i < 20; i++) {
            Socket client = t.open();
            client.setTimeout(Duration.ofMillis(20));
            client.connect(listener.getSockName());
            Socket server = t.track(listener.accept());
            server.setTimeout(Duration.ofMillis(20));
            sockets += 2;
            assertThrows(SocketTimeoutError.class, () -> client.recv(1), "a timed recv with nothing to read");
            assertThrows(SocketTimeoutError.class, () -> server.recv(1), "a timed recv with nothing to read");
        }
        int extra = t.openDescriptors() - before - sockets;
        assertTrue(extra <= SLACK, sockets + " sockets in timeout mode after timed recvs hold " + extra
                + " descriptors beyond their own (a selector per socket would show here)");
    }
}
