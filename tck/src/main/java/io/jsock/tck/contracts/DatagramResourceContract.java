package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource leaks of datagram sockets, counted in {@code /proc/self/fd}: closing a socket gives its
 * descriptor back whatever it was doing, also when the close lands in the middle of a timed recv
 * (the first round leaked one AF_UNIX descriptor about every 2000 such closes).
 */
@ContractGroup(name = "resources", appliesTo = Semantics.DATAGRAM)
public final class DatagramResourceContract {
    /** Descriptors the rest of the JVM (class loading, the test runner) may open while a case runs. */
    private static final int SLACK = 3;
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final int CYCLES = 1500;

    @Contract(id = "datagram.resources.closed-during-a-timed-recv-leaks-nothing",
            statement = "Datagram sockets closed by another thread while in a timed recv, at any moment of it, give back "
                    + "every descriptor, and the recv ends with EBADF or its timeout.")
    void closedDuringATimedRecvLeaksNothing(TckTarget t) throws Exception {
        cycles(t, 20);
        int before = t.openDescriptors();
        cycles(t, CYCLES);
        int[] now = {0};
        try {
            TckTarget.await("the descriptor count to settle back to " + before + " (+" + SLACK + ")", SETTLE, () -> {
                now[0] = t.openDescriptors();
                return now[0] <= before + SLACK;
            });
        } catch (AssertionError e) {
            throw new AssertionError("open descriptors went from " + before + " to " + now[0] + " after " + CYCLES
                    + " datagram sockets closed during a timed recv", e);
        }
    }

    private static void cycles(TckTarget t, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            Socket s = t.provider().open(t.family(), t.type(), t.proto());
            try {
                s.bind(t.bindAddress());
                s.setTimeout(Duration.ofMillis(i % 3 == 0 ? 1 : 50));
                TckTarget.Background<byte[]> reader = t.background("timed recv " + i, () -> s.recv(16));
                if (i % 2 == 0) {
                    Thread.yield(); // odd rounds close before the recv starts, even ones while it may wait
                }
                s.close();
                Throwable failure = reader.failure(LIMIT);
                boolean expected = failure instanceof SocketTimeoutError
                        || failure instanceof SocketError e && e.errno() == Errno.EBADF;
                assertTrue(expected, "a timed recv ended by close() must raise EBADF or time out, round " + i + ": " + failure);
            } finally {
                s.close();
            }
        }
    }
}
