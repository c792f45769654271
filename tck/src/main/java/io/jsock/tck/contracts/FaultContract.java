package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a stream does when the other end fails: a peer process killed with SIGKILL in the middle of
 * a transfer, either way; a reset while a call is blocked; a peer that never reads; the descriptor
 * limit. Nothing may be lost or corrupted silently: what arrives is an exact prefix of what was
 * sent, and every failure is an error with the kernel's errno, within a bounded time.
 */
@ContractGroup(name = "faults", appliesTo = Semantics.STREAM)
public final class FaultContract {
    /** The longest any failure may take to surface. */
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** How much a case transfers before it breaks the connection. */
    private static final int BEFORE_FAULT = 4 << 20;
    /** What a peer that dies while we send gives: a reset (TCP), a broken pipe (AF_UNIX, or after the reset). */
    private static final Set<Errno> BROKEN = EnumSet.of(Errno.ECONNRESET, Errno.EPIPE);

    @Contract(id = "stream.faults.peer-killed-while-sending-leaves-an-exact-prefix",
            statement = "when a peer process sending a stream is killed with SIGKILL mid-transfer, every byte received is the byte "
                    + "it sent at that offset, and the stream then ends with end of stream or ECONNRESET within 20 s.")
    void peerKilledWhileSending(TckTarget t) throws Exception {
        Peer p = Peer.connect(t, "send");
        Process peer = p.process();
        Socket s = p.socket();
        s.setTimeout(LIMIT);
        byte[] buffer = new byte[64 * 1024];
        long offset = receivePattern(s, buffer, 0, BEFORE_FAULT);
        peer.destroyForcibly();
        if (!peer.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the killed peer did not end within " + LIMIT.toSeconds() + " s");
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try {
            while (true) {
                long before = offset;
                offset = receivePattern(s, buffer, offset, Long.MAX_VALUE);
                if (offset == before) {
                    return; // end of stream, after an exact prefix
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the stream of a killed peer had not ended " + LIMIT.toSeconds()
                            + " s after its death, " + offset + " bytes in");
                }
            }
        } catch (SocketTimeoutError e) {
            throw new AssertionError("recv waited " + LIMIT.toSeconds() + " s on the stream of a killed peer, "
                    + offset + " bytes in, instead of ending it", e);
        } catch (SocketError e) {
            if (e.errno() != Errno.ECONNRESET) {
                throw new AssertionError("the stream of a killed peer must end with end of stream or ECONNRESET, not "
                        + e.errno() + " (" + offset + " bytes in)", e);
            }
        }
    }

    @Contract(id = "stream.faults.peer-killed-while-receiving-fails-the-send",
            statement = "sendAll blocked on a peer process that does not read fails with ECONNRESET or EPIPE within 20 s "
                    + "when that process is killed with SIGKILL, the JVM gets no SIGPIPE, and a later send fails with EPIPE.")
    void peerKilledWhileReceiving(TckTarget t) throws Exception {
        Peer p = Peer.connect(t, "sink");
        Process peer = p.process();
        Socket s = p.socket();
        s.sendAll(new byte[] {1});
        String peeked = awaitAnyLine(p.lines());
        if (!peeked.equals("peeked") && !peeked.equals("peeked not: EOPNOTSUPP")) {
            throw new AssertionError("the peer JVM, peeking at the first byte, printed " + peeked);
        }
        byte[] data = new byte[64 << 20];
        TckTarget.Background<Void> sending = t.background("sendAll to a peer that does not read", () -> {
            s.sendAll(data);
            return null;
        });
        sending.awaitInside(s, "sendAll", LIMIT);
        peer.destroyForcibly();
        Throwable failure = sending.failure(LIMIT);
        assertBroken("sendAll to a peer killed while it did not read", failure);
        SocketError after = TckTarget.assertErrnoIn(BROKEN, "send after the peer was killed", () -> s.send(new byte[1]));
        if (((SocketError) failure).errno() == Errno.ECONNRESET && after.errno() != Errno.EPIPE) {
            throw new AssertionError("send after a reset must fail with EPIPE, as on Linux, not " + after.errno());
        }
    }

    @Contract(id = "stream.faults.reset-ends-a-blocked-recv",
            statement = "recv blocked in blocking mode and in timeout mode fails with ECONNRESET when the peer closes with data "
                    + "unread (a TCP reset), and the next recv returns end of stream, as on Linux.")
    void resetEndsABlockedRecv(TckTarget t) throws Exception {
        for (Duration timeout : new Duration[] {null, LIMIT}) {
            TckTarget.Connection c = t.connection();
            Socket s = c.client();
            s.setTimeout(timeout);
            leaveUnread(t, c); // the peer's close then resets the connection
            TckTarget.Background<byte[]> receiving = t.background("recv", () -> s.recv(16));
            receiving.awaitInside(s, "recv", LIMIT);
            c.server().close();
            Throwable failure = receiving.failure(LIMIT);
            if (!(failure instanceof SocketError e) || e.errno() != Errno.ECONNRESET) {
                throw new AssertionError("recv " + mode(timeout) + " must fail with ECONNRESET when the peer resets, not " + failure,
                        failure);
            }
            byte[] after = s.recv(16);
            if (after.length != 0) {
                throw new AssertionError("recv after ECONNRESET must return end of stream, returned " + after.length + " bytes");
            }
        }
    }

    @Contract(id = "stream.faults.reset-ends-a-blocked-send",
            statement = "sendAll blocked in blocking mode and in timeout mode on a peer that does not read fails with ECONNRESET "
                    + "or EPIPE when the peer closes with data unread, within 20 s.")
    void resetEndsABlockedSend(TckTarget t) throws Exception {
        byte[] data = new byte[64 << 20];
        for (Duration timeout : new Duration[] {null, LIMIT}) {
            TckTarget.Connection c = t.connection();
            Socket s = c.client();
            s.setTimeout(timeout);
            leaveUnread(t, c);
            TckTarget.Background<Void> sending = t.background("sendAll", () -> {
                s.sendAll(data);
                return null;
            });
            sending.awaitInside(s, "sendAll", LIMIT);
            c.server().close();
            assertBroken("sendAll " + mode(timeout) + " to a peer that reset", sending.failure(LIMIT));
        }
    }

    @Contract(id = "stream.faults.never-reading-peer-loses-nothing",
            statement = "to a peer that never reads, sendAll in timeout mode times out, and when the peer reads at last, after the "
                    + "sender has closed, it gets an exact prefix of what was sent, then end of stream.")
    void neverReadingPeerLosesNothing(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.client();
        t.optional("SO_SNDBUF", () -> {
            s.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            return null;
        });
        byte[] data = new byte[64 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = FaultPeer.pattern(i);
        }
        s.setTimeout(Duration.ofMillis(300));
        try {
            s.sendAll(data);
            throw new AssertionError("sendAll of 64 MiB to a peer that never reads returned within its 300 ms timeout");
        } catch (SocketTimeoutError expected) {
            // what went is unknown to the caller, as in CPython; what arrives must still be exact
        }
        s.close();
        Socket peer = c.server();
        peer.setTimeout(LIMIT);
        long offset = receivePattern(peer, new byte[64 * 1024], 0, Long.MAX_VALUE);
        if (offset == 0) {
            throw new AssertionError("nothing of what was sent before the timeout arrived");
        }
        byte[] more = peer.recv(1);
        if (more.length != 0) {
            throw new AssertionError("the stream did not end after the sender's close");
        }
    }

    @Contract(id = "stream.faults.accept-at-the-descriptor-limit-recovers",
            statement = "at the process's descriptor limit socket() and accept fail with EMFILE, the waiting connection stays "
                    + "queued, and once a descriptor is free accept returns it and it carries data.")
    void acceptAtTheDescriptorLimitRecovers(TckTarget t) throws Exception {
        // a second JVM with a limit of its own: this JVM's limit is far too high to reach
        List<String> limit = List.of("/bin/sh", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"");
        ChildJvm.Result r = ChildJvm.run(t, limit, FaultPeer.class, List.of("emfile"), Map.of());
        List<String> expected = List.of("socket EMFILE", "accept EMFILE", "after-close carried");
        if (!r.lines().equals(expected)) {
            throw new AssertionError("under ulimit -n 256 the steps must print " + expected + ", printed " + r.lines()
                    + "; stderr: " + r.stderr());
        }
    }

    /**
     * Receives into {@code buffer} and checks each byte against the pattern from {@code offset}, until
     * {@code until} bytes or end of stream; returns the offset reached.
     */
    private static long receivePattern(Socket s, byte[] buffer, long offset, long until) throws SocketError {
        while (offset < until) {
            int n = s.recvInto(java.nio.ByteBuffer.wrap(buffer));
            if (n == 0) {
                return offset;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != FaultPeer.pattern(offset + i)) {
                    throw new AssertionError("byte " + (offset + i) + " of the stream is " + buffer[i] + ", the peer sent "
                            + FaultPeer.pattern(offset + i));
                }
            }
            offset += n;
        }
        return offset;
    }

    /**
     * Sends the server side one byte and waits until it has arrived, unread: its close then resets
     * the connection, where a close with nothing unread is a FIN (after which MPTCP, unlike TCP, may
     * go on taking data). A provider without MSG_PEEK goes on without waiting.
     */
    private static void leaveUnread(TckTarget t, TckTarget.Connection c) throws Exception {
        c.client().sendAll(new byte[] {1});
        Socket server = c.server();
        server.setTimeout(LIMIT);
        try {
            server.recv(1, io.jsock.MessageFlags.MSG_PEEK);
        } catch (SocketError e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
        }
    }

    private static void assertBroken(String what, Throwable failure) {
        if (!(failure instanceof SocketError e) || !BROKEN.contains(e.errno())) {
            throw new AssertionError(what + " must fail with ECONNRESET or EPIPE, not " + failure, failure);
        }
    }

    private static String mode(Duration timeout) {
        return timeout == null ? "in blocking mode" : "in timeout mode";
    }

    /** A {@link FaultPeer} in its own JVM and our end of its connection. */
    private record Peer(Process process, Socket socket, BufferedReader lines) {
        /** Starts a peer in {@code mode}, accepts its connection and waits until it says it is connected. */
        static Peer connect(TckTarget t, String mode) throws Exception {
            Socket listener = t.listener();
            Process process = ChildJvm.start(t, FaultPeer.class, List.of(mode, FaultPeer.encode(listener.getSockName())));
            listener.setTimeout(LIMIT);
            Socket s = t.track(listener.accept());
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            awaitLine(process, lines, "connected");
            return new Peer(process, s, lines);
        }
    }

    /** Waits (bounded) for the peer to print {@code line}. */
    private static void awaitLine(Process peer, BufferedReader lines, String line) throws Exception {
        String got = awaitAnyLine(lines);
        if (!line.equals(got)) {
            throw new AssertionError("the peer JVM printed " + got + " instead of " + line
                    + (peer.isAlive() ? "" : " and exited with " + peer.exitValue()));
        }
    }

    /** The peer's next line, waiting for it at most {@link ChildJvm#LIMIT}. */
    private static String awaitAnyLine(BufferedReader lines) throws Exception {
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
        try {
            return next.get(ChildJvm.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the peer JVM printed no line within " + ChildJvm.LIMIT.toSeconds() + " s");
        }
    }
}
