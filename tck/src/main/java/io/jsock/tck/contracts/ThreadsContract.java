package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.EnumSet;

/**
 * Virtual threads and connection-oriented sockets: a call blocked on a virtual thread must leave
 * its carrier to other virtual threads, and close() must still end it (Java 21 and later).
 */
@ContractGroup(name = "threads", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ThreadsContract {
    /** The timeout of the connects that fill a listener's backlog. */
    private static final Duration FILL_TIMEOUT = Duration.ofMillis(500);

    @Contract(id = "stream.threads.blocked-accept-leaves-scheduler-free",
            statement = "accept blocked on many more virtual threads than there are carrier threads, each on its own listener, "
                    + "leaves the scheduler free: another virtual thread runs at once, and close() ends every accept with EBADF.")
    void blockedAcceptLeavesSchedulerFree(TckTarget t) throws Exception {
        try (BlockedVirtualThreads blocked = BlockedVirtualThreads.of(t, "accept")) {
            for (int i = 0; i < blocked.count(); i++) {
                Socket listener = t.listener();
                blocked.start(listener, listener::accept);
            }
            blocked.assertSchedulerFreeAndCloseEndsEach();
        }
    }

    @Contract(id = "stream.threads.blocked-recv-leaves-scheduler-free",
            statement = "recv blocked on many more virtual threads than there are carrier threads, each on its own idle connection, "
                    + "leaves the scheduler free: another virtual thread runs at once, and close() ends every recv with EBADF.")
    void blockedRecvLeavesSchedulerFree(TckTarget t) throws Exception {
        try (BlockedVirtualThreads blocked = BlockedVirtualThreads.of(t, "recv")) {
            for (int i = 0; i < blocked.count(); i++) {
                Socket s = t.connection().server();
                blocked.start(s, () -> s.recv(16));
            }
            blocked.assertSchedulerFreeAndCloseEndsEach();
        }
    }

    @Contract(id = "stream.threads.blocked-send-leaves-scheduler-free",
            statement = "send blocked on many more virtual threads than there are carrier threads, each on a connection whose peer "
                    + "does not read, leaves the scheduler free: another virtual thread runs at once, and close() ends every send with EBADF.")
    void blockedSendLeavesSchedulerFree(TckTarget t) throws Exception {
        byte[] chunk = new byte[1024];
        try (BlockedVirtualThreads blocked = BlockedVirtualThreads.of(t, "send")) {
            for (int i = 0; i < blocked.count(); i++) {
                TckTarget.Connection c = t.connection();
                Socket s = c.client();
                t.optional("SO_SNDBUF", () -> {
                    s.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
                    return null;
                });
                t.optional("SO_RCVBUF", () -> {
                    c.server().setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                    return null;
                });
                fill(s, chunk);
                blocked.start(s, () -> {
                    for (int sends = 0; sends < 1 << 20; sends++) {
                        s.send(chunk);
                    }
                    return "1 GiB sent to a peer that does not read";
                });
            }
            blocked.assertSchedulerFreeAndCloseEndsEach();
        }
    }

    @Contract(id = "stream.threads.blocked-connect-leaves-scheduler-free",
            statement = "connect blocked on many more virtual threads than there are carrier threads, each to a listener whose backlog "
                    + "is full, leaves the scheduler free: another virtual thread runs at once, and close() ends every connect with EBADF.")
    void blockedConnectLeavesSchedulerFree(TckTarget t) throws Exception {
        try (BlockedVirtualThreads blocked = BlockedVirtualThreads.of(t, "connect")) {
            Socket listener = t.open();
            listener.bind(t.bindAddress());
            listener.listen(0);
            SocketAddress target = listener.getSockName();
            if (!fillBacklog(t, target)) {
                throw t.skip("The backlog of a listen(0) socket took 16 connections without filling, so no connect blocks.");
            }
            // TCP: Linux drops each SYN and retries for about two minutes (tcp_syn_retries 6), far longer than the case
            for (int i = 0; i < blocked.count(); i++) {
                Socket s = t.open();
                blocked.start(s, () -> {
                    s.connect(target);
                    return "connected to a listener whose backlog was full";
                });
            }
            blocked.assertSchedulerFreeAndCloseEndsEach();
        }
    }

    /** Sends in non-blocking mode until the send buffer is full, then puts the socket back in blocking mode. */
    private static void fill(Socket s, byte[] chunk) throws SocketError {
        s.setBlocking(false);
        try {
            for (int sends = 0; sends < 1 << 16; sends++) {
                try {
                    s.send(chunk);
                } catch (SocketError e) {
                    if (e.errno() != Errno.EAGAIN) {
                        throw e;
                    }
                    return;
                }
            }
            throw new AssertionError("a non-blocking send kept succeeding for 64 MiB to a peer that does not read");
        } finally {
            s.setBlocking(true);
        }
    }

    /**
     * Connects with a short timeout until one connect cannot complete: Linux drops the SYN for
     * TCP (a timeout) and refuses AF_UNIX with EAGAIN (CPython's answer in timeout mode).
     */
    private static boolean fillBacklog(TckTarget t, SocketAddress target) throws SocketError {
        for (int i = 0; i < 16; i++) {
            Socket s = t.open();
            s.setTimeout(FILL_TIMEOUT);
            try {
                s.connect(target);
            } catch (SocketError e) {
                if (!EnumSet.of(Errno.ETIMEDOUT, Errno.EAGAIN).contains(e.errno())) {
                    throw e;
                }
                return true;
            }
        }
        return false;
    }
}
