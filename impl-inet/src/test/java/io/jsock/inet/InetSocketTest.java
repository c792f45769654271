package io.jsock.inet;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Protocols;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.tck.TckTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Arrays;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the TCK leaves to the provider: its triples, the NIO channel switch at listen(), and close
 * and interrupts in the calls and modes the TCK does not reach (connect, send, accept in timeout
 * mode), where NIO needs the provider's own handling.
 */
class InetSocketTest {
    /** How promptly a blocked call must end after close() or an interrupt, on a loaded 2-core machine. */
    private static final Duration PROMPT = Duration.ofSeconds(2);
    private static final Duration LONG = Duration.ofSeconds(30);

    private final InetProvider provider = new InetProvider();
    private TckTarget t;

    @BeforeEach
    void target() {
        t = new TckTarget(provider, AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0);
    }

    @AfterEach
    void cleanUp() {
        t.close();
    }

    // ---- the provider ------------------------------------------------------------------

    @Test
    void providerTakesTcpOverIpv4AndIpv6Only() throws Exception {
        assertEquals("inet", provider.name());
        for (AddressFamily f : new AddressFamily[] {AddressFamily.AF_INET, AddressFamily.AF_INET6}) {
            assertTrue(provider.supports(f, SocketType.SOCK_STREAM, 0), f + " SOCK_STREAM 0");
            assertTrue(provider.supports(f, SocketType.SOCK_STREAM, Protocols.IPPROTO_TCP), f + " SOCK_STREAM IPPROTO_TCP");
            assertFalse(provider.supports(f, SocketType.SOCK_DGRAM, 0), f + " SOCK_DGRAM");
            assertFalse(provider.supports(f, SocketType.SOCK_STREAM, Protocols.IPPROTO_UDP), f + " SOCK_STREAM IPPROTO_UDP");
        }
        assertFalse(provider.supports(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0), "AF_UNIX");
        assertErrno(Errno.EAFNOSUPPORT, "open AF_UNIX", () -> provider.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0));
        assertErrno(Errno.ESOCKTNOSUPPORT, "open SOCK_DGRAM", () -> provider.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        assertErrno(Errno.EPROTONOSUPPORT, "open IPPROTO_UDP", () -> provider.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 17));
        assertThrows(NullPointerException.class, () -> provider.open(null, SocketType.SOCK_STREAM, 0), "open with a null family");
    }

    @Test
    void serviceLoaderFindsTheProviderByName() {
        assertInstanceOf(InetProvider.class, Sockets.provider("inet"), "Sockets.provider(\"inet\")");
    }

    @Test
    void ipprotoTcpSocketReportsItsProtocol() throws Exception {
        try (Socket s = provider.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, Protocols.IPPROTO_TCP)) {
            assertEquals(Protocols.IPPROTO_TCP, s.proto(), "proto() of a socket opened with IPPROTO_TCP");
        }
    }

    // ---- one socket, two NIO channels ----------------------------------------------------

    @Test
    void listenAfterBindKeepsTheAddressAndTheOptions() throws Exception {
        Socket s = t.open();
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        s.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        s.bind(t.bindAddress());
        SocketAddress bound = s.getSockName();
        int rcvbuf = s.getOption(StandardSocketOptions.SO_RCVBUF);
        s.listen(5);
        assertEquals(bound, s.getSockName(), "getSockName() after listen on a bound socket");
        assertEquals(true, s.getOption(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR after listen");
        assertEquals(rcvbuf, s.getOption(StandardSocketOptions.SO_RCVBUF), "SO_RCVBUF after listen");
        assertEquals(true, s.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY of the listener");
        Socket other = t.open();
        other.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        assertErrno(Errno.EADDRINUSE, "bind to a listening address, even with SO_REUSEADDR", () -> {
            other.bind(bound);
            return null;
        });
        Socket client = t.open();
        client.connect(bound);
        Socket accepted = t.track(s.accept());
        assertEquals(true, accepted.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY inherited by the accepted socket");
        assertEquals(client.getSockName(), accepted.getPeerName(), "the accepted socket's peer");
    }

    @Test
    void recvReturnsExactlyWhatArrivedForAnyBufsize() throws Exception {
        TckTarget.Connection c = t.connection();
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 7);
        c.client().sendAll(data);
        c.client().shutdown(Shutdown.SHUT_WR);
        c.server().setTimeout(LONG);
        byte[] first = c.server().recv(100);
        assertEquals(100, first.length, "recv(100) with 1000 bytes waiting");
        byte[] rest = new byte[0];
        for (int i = 0; i < 100 && rest.length < 900; i++) {
            byte[] chunk = c.server().recv(1 << 20); // larger than the staging buffer: the heap path
            rest = concat(rest, chunk);
        }
        assertEquals(900, rest.length, "bytes of the recv(1 MiB) calls");
        assertArrayEquals(Arrays.copyOf(data, 900), rest, "content");
        assertEquals(0, c.server().recv(1 << 20).length, "recv(1 MiB) at the end of the stream");
    }

    @Test
    void blockingSendOfALargeArrayQueuesAllOfIt() throws Exception {
        TckTarget.Connection c = t.connection();
        byte[] payload = new byte[3 * 1024 * 1024 + 17]; // more than one of the provider's 1 MiB heap slices
        new java.util.Random(42).nextBytes(payload);
        c.server().setTimeout(LONG);
        TckTarget.Background<byte[]> reader = t.background("reader", () -> {
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream(payload.length);
            for (int i = 0; i < 1_000_000; i++) {
                byte[] chunk = c.server().recv(65536);
                if (chunk.length == 0) {
                    return got.toByteArray();
                }
                got.write(chunk);
            }
            throw new AssertionError("no end of stream after a million recv calls");
        });
        assertEquals(payload.length, c.client().send(payload), "a blocking send returns when all bytes are queued, as on Linux");
        c.client().shutdown(Shutdown.SHUT_WR);
        assertArrayEquals(payload, reader.get(LONG), "the bytes the peer read");
    }

    // ---- timeout mode ---------------------------------------------------------------------

    @Test
    void sendAllTimeoutCoversTheWholeCall() throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThrows(SocketTimeoutError.class, () -> c.client().sendAll(new byte[64 << 20]),
                "sendAll of 64 MiB to a peer that does not read");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 290 && ms < 300 + PROMPT.toMillis(), "sendAll with a 300 ms timeout took " + ms + " ms");
        assertFalse(c.client().isClosed(), "a timeout leaves the socket open");
    }

    @Test
    void sendRaisesAfterTheTimeoutWhenTheBufferIsFull() throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.client();
        s.setTimeout(Duration.ofMillis(300));
        byte[] chunk = new byte[64 * 1024];
        long ms = -1;
        // the peer does not read: the buffers fill (the kernel may grow them a while), then a send times out
        for (int i = 0; i < 10_000 && ms < 0; i++) {
            long start = System.nanoTime();
            try {
                assertTrue(s.send(chunk) > 0, "a send in timeout mode that returns has sent something");
            } catch (SocketTimeoutError e) {
                ms = (System.nanoTime() - start) / 1_000_000;
            }
        }
        assertTrue(ms >= 290 && ms < 300 + PROMPT.toMillis(), "send with a 300 ms timeout into full buffers took " + ms + " ms");
        assertFalse(s.isClosed(), "a timeout leaves the socket open");
        assertEquals(1, c.server().recv(1).length, "the peer still reads the bytes sent before the timeout");
    }

    @Test
    void blockingModeWorksAfterAWaitInTimeoutMode() throws Exception {
        TckTarget.Connection c = t.connection();
        c.server().setTimeout(Duration.ofMillis(50));
        assertThrows(SocketTimeoutError.class, () -> c.server().recv(1), "recv with nothing sent");
        c.server().setBlocking(true); // the channel was registered with the timeout selector
        c.client().sendAll(new byte[] {42});
        assertArrayEquals(new byte[] {42}, c.server().recv(1), "blocking recv after the switch");
        c.server().setBlocking(false);
        assertErrno(Errno.EAGAIN, "non-blocking recv after the switch", () -> c.server().recv(1));
    }

    // ---- close and interrupts where NIO needs help ---------------------------------------

    @ParameterizedTest(name = "timeout {0} ms (0: blocking)")
    @ValueSource(ints = {0, 30_000})
    void closeEndsBlockedConnect(int timeoutMs) throws Exception {
        Socket full = fullListener();
        Socket c = t.open();
        c.setTimeout(timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs));
        TckTarget.Background<Void> connect = t.background("connect", () -> {
            c.connect(full.getSockName());
            return null;
        });
        connect.awaitInside(c, "connect", PROMPT);
        long start = System.nanoTime();
        c.close();
        Throwable failure = connect.failure(PROMPT);
        assertEbadf(failure, "connect ended by close", start);
    }

    @ParameterizedTest(name = "timeout {0} ms (0: blocking)")
    @ValueSource(ints = {0, 30_000})
    void closeEndsBlockedSendAll(int timeoutMs) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs));
        TckTarget.Background<Void> send = t.background("sendAll", () -> {
            c.client().sendAll(new byte[64 << 20]);
            return null;
        });
        send.awaitInside(c.client(), "sendAll", PROMPT);
        long start = System.nanoTime();
        c.client().close();
        assertEbadf(send.failure(PROMPT), "sendAll ended by close", start);
    }

    @ParameterizedTest(name = "timeout {0} ms (0: blocking)")
    @ValueSource(ints = {0, 30_000})
    void shutdownReadOfAListenerEndsBlockedAcceptWithEinval(int timeoutMs) throws Exception {
        Socket l = t.listener();
        l.setTimeout(timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs));
        TckTarget.Background<Object> accept = t.background("accept", () -> l.accept());
        accept.awaitInside(l, "accept", PROMPT);
        l.shutdown(Shutdown.SHUT_RD);
        Throwable failure = accept.failure(PROMPT);
        assertInstanceOf(SocketError.class, failure, "accept ended by shutdown(SHUT_RD)");
        assertEquals(Errno.EINVAL, ((SocketError) failure).errno(), "errno of accept ended by shutdown(SHUT_RD): " + failure);
        assertFalse(l.isClosed(), "shutdown does not close the listener");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regression here hangs close() itself
    void closeEndsABlockedRecvWhileAnotherThreadChangesTheMode() throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.server();
        TckTarget.Background<byte[]> recv = t.background("recv", () -> s.recv(1));
        recv.awaitInside(s, "recv", PROMPT);
        // the JDK's configureBlocking waits for the blocked read to end; close must not wait for it
        TckTarget.Background<Void> mode = t.background("setTimeout", () -> {
            s.setTimeout(Duration.ofSeconds(5));
            return null;
        });
        mode.awaitInside(s, "setTimeout", PROMPT);
        long start = System.nanoTime();
        s.close();
        assertEbadf(recv.failure(PROMPT), "recv ended by close", start);
        Throwable modeEnd = mode.result().handle((v, e) -> e).get(PROMPT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (modeEnd != null) { // it may have switched just before the close; if not, the socket was closed under it
            assertEbadf(modeEnd instanceof java.util.concurrent.CompletionException ? modeEnd.getCause() : modeEnd,
                    "setTimeout ended by close", start);
        }
    }

    @Test
    void interruptEndsRecvInTimeoutModeAndClosesTheSocket() throws Exception {
        TckTarget.Connection c = t.connection();
        c.server().setTimeout(LONG);
        assertInterruptCloses(c.server(), "recv", () -> c.server().recv(1));
    }

    @ParameterizedTest(name = "timeout {0} ms (0: blocking)")
    @ValueSource(ints = {0, 30_000})
    void interruptEndsAcceptAndClosesTheSocket(int timeoutMs) throws Exception {
        Socket l = t.listener();
        l.setTimeout(timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs));
        assertInterruptCloses(l, "accept", l::accept);
    }

    @ParameterizedTest(name = "timeout {0} ms (0: blocking)")
    @ValueSource(ints = {0, 30_000})
    void interruptEndsConnectAndClosesTheSocket(int timeoutMs) throws Exception {
        Socket full = fullListener();
        Socket c = t.open();
        c.setTimeout(timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs));
        assertInterruptCloses(c, "connect", () -> {
            c.connect(full.getSockName());
            return null;
        });
    }

    @Test
    void callWithInterruptStatusInTimeoutModeClosesEvenWithDataWaiting() throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().sendAll(new byte[] {1});
        c.server().setTimeout(LONG);
        Thread.currentThread().interrupt();
        try {
            assertErrno(Errno.EINTR, "recv in timeout mode with the interrupt status set", () -> c.server().recv(1));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
        } finally {
            Thread.interrupted();
        }
        assertTrue(c.server().isClosed(), "the socket is closed by the interrupted call");
    }

    private void assertInterruptCloses(Socket s, String method, TckTarget.SocketCall<Object> call) throws Exception {
        boolean[] stillInterrupted = new boolean[1];
        TckTarget.Background<Object> b = t.background(method, () -> {
            try {
                return call.call();
            } finally {
                stillInterrupted[0] = Thread.interrupted();
            }
        });
        b.awaitInside(s, method, PROMPT);
        long start = System.nanoTime();
        b.thread().interrupt();
        Throwable failure = b.failure(PROMPT);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(SocketError.class, failure, method + " interrupted");
        assertEquals(Errno.EINTR, ((SocketError) failure).errno(), "errno of the interrupted " + method + ": " + failure);
        assertTrue(ms < PROMPT.toMillis(), "the interrupted " + method + " took " + ms + " ms");
        assertTrue(stillInterrupted[0], "the interrupt status after the interrupted " + method);
        assertTrue(s.isClosed(), "isClosed() after the interrupted " + method);
        assertErrno(Errno.EBADF, "getSockName after the interrupted " + method, s::getSockName);
    }

    private static void assertEbadf(Throwable failure, String what, long start) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(SocketError.class, failure, what);
        assertEquals(Errno.EBADF, ((SocketError) failure).errno(), "errno of " + what + ": " + failure);
        assertTrue(ms < PROMPT.toMillis(), what + " took " + ms + " ms");
    }

    /** A listener whose accept queue is full, so that a further connect waits (Linux drops the SYNs). */
    private Socket fullListener() throws SocketError {
        Socket l = t.open();
        l.bind(t.bindAddress());
        l.listen(0);
        for (int i = 0; i < 8; i++) {
            Socket filler = t.open();
            filler.setBlocking(false);
            filler.connectEx(l.getSockName());
        }
        return l;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
