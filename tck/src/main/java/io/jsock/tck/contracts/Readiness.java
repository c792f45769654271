package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Ready;
import io.jsock.Selector;
import io.jsock.SelectorKey;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.TckTarget;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the readiness groups share: bounded waits, registration that skips a provider without descriptors. */
final class Readiness {
    /** The longest a case waits for a socket to become ready. */
    static final Duration LIMIT = Duration.ofSeconds(10);
    /** How promptly a wakeup must end a select. */
    static final Duration PROMPT = Duration.ofSeconds(2);
    /** Most sends to fill a send buffer: far more than any buffer Linux allows holds in 4 KiB pieces. */
    private static final int MAX_FILL_SENDS = 100_000;

    private Readiness() {
    }

    /** A new selector; where no readiness provider is installed (no jsock-core), the case is skipped, saying so. */
    static Selector open(TckTarget t) throws Exception {
        return t.optional("a selector (no readiness provider is installed)", Selector::open);
    }

    /** Registers {@code socket}; a provider whose sockets expose no descriptor skips the case, saying so. */
    static SelectorKey register(TckTarget t, Selector selector, Socket socket, int events, Object data) throws Exception {
        return t.optional("a selector (it watches the socket's fileno())", () -> selector.register(socket, events, data));
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void waitFor(String what, BooleanSupplier condition) {
        TckTarget.await(what, LIMIT, condition);
    }

    /** Whether {@code thread} is inside a {@link Selector}'s wait. */
    static boolean inSelect(Thread thread) {
        for (StackTraceElement e : thread.getStackTrace()) {
            if (e.getClassName().equals(Selector.class.getName()) && e.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }

    /** A factory of virtual threads (Thread.ofVirtual().factory(), by reflection: the TCK compiles for 17); skips before Java 21. */
    static java.util.concurrent.ThreadFactory virtualThreads(TckTarget t) {
        if (Runtime.version().feature() < 21) {
            throw t.skip("Virtual threads need Java 21 or later; this JVM is " + Runtime.version().feature() + ".");
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (java.util.concurrent.ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Thread.ofVirtual().factory() failed on Java " + Runtime.version().feature(), e);
        }
    }

    /** Sends on the non-blocking {@code socket} until its send buffer is full (EAGAIN). */
    static void fill(Socket socket) throws SocketError {
        socket.setBlocking(false);
        byte[] piece = new byte[4096];
        for (int i = 0; i < MAX_FILL_SENDS; i++) {
            try {
                socket.send(piece);
            } catch (SocketError e) {
                if (e.errno() == Errno.EAGAIN) {
                    return;
                }
                throw e;
            }
        }
        throw new AssertionError(MAX_FILL_SENDS + " sends of 4 KiB never filled the send buffer of " + socket);
    }

    /** Reads from the non-blocking {@code peer} until {@code selector} reports something; returns that. */
    static List<Ready> drainUntilWritable(Socket peer, Selector selector) throws SocketError {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                peer.recv(65536);
            } catch (SocketError e) {
                if (e.errno() != Errno.EAGAIN) {
                    throw e;
                }
            }
            List<Ready> ready = selector.select(Duration.ofMillis(1));
            if (!ready.isEmpty()) {
                return ready;
            }
        }
        throw new AssertionError("the sender never became writable in " + LIMIT.toMillis() + " ms of the peer reading");
    }
}
