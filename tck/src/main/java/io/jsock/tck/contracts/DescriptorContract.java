package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.Sockets;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dup, detach, the inheritable flag and the default timeout: Python's descriptor calls. */
@ContractGroup(name = "descriptors", appliesTo = {Semantics.STREAM, Semantics.DATAGRAM, Semantics.RELIABLE_MESSAGE})
public final class DescriptorContract {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Contract(id = "socket.descriptors.dup-is-a-second-working-socket",
            statement = "dup() gives a socket on a new descriptor of the same socket, with the same family, type, protocol "
                    + "and mode, which sends to the peer and keeps working after the original is closed.")
    void dupIsASecondWorkingSocket(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        Socket copy = t.track(t.optional("dup()", () -> c.client().dup()));
        assertNotEquals(c.client().fileno(), copy.fileno(), "the copy's descriptor vs the original's");
        assertEquals(c.client().family(), copy.family(), "family of the copy");
        assertEquals(c.client().type(), copy.type(), "type of the copy");
        assertEquals(c.client().proto(), copy.proto(), "proto of the copy");
        assertEquals(LIMIT, copy.getTimeout(), "the copy's timeout is the original's");
        assertFalse(copy.getInheritable(), "a dup'd descriptor is not inheritable, as CPython's");
        c.client().close();
        copy.sendAll(new byte[] {5});
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {5}, c.server().recv(8), "what the copy sent after the original was closed");
    }

    @Contract(id = "socket.descriptors.detach-leaves-the-descriptor-open",
            statement = "detach() closes the socket object and returns its descriptor, still open, for the caller to close "
                    + "with Sockets.closeFd; a second closeFd is EBADF.")
    void detachLeavesTheDescriptorOpen(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.client();
        int before = t.optional("fileno()", s::fileno);
        int fd = t.optional("detach()", s::detach);
        assertEquals(before, fd, "detach() returns the socket's descriptor");
        assertTrue(s.isClosed(), "isClosed() after detach()");
        assertEquals(-1, s.fileno(), "fileno() after detach()");
        assertTrue(Files.exists(Path.of("/proc/self/fd/" + fd)), "descriptor " + fd + " stays open after detach()");
        Sockets.closeFd(fd);
        assertFalse(Files.exists(Path.of("/proc/self/fd/" + fd)) && isSocket(fd, before),
                "descriptor " + fd + " is closed by Sockets.closeFd");
        assertErrno(Errno.EBADF, "a second Sockets.closeFd(" + fd + ")", () -> {
            Sockets.closeFd(fd);
            return null;
        });
    }

    private static boolean isSocket(int fd, int original) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("socket:") && fd == original;
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    @Contract(id = "socket.descriptors.inheritable-flag-round-trips",
            statement = "A new socket is not inheritable (FD_CLOEXEC); setInheritable(true) clears the flag, as "
                    + "/proc/self/fdinfo shows, and setInheritable(false) sets it again.")
    void inheritableFlagRoundTrips(TckTarget t) throws Exception {
        Socket s = t.open();
        assertFalse(t.optional("getInheritable()", s::getInheritable), "getInheritable() of a new socket");
        s.setInheritable(true);
        assertTrue(s.getInheritable(), "getInheritable() after setInheritable(true)");
        assertEquals(0, Descriptors.fdinfoFlags(t, s) & Descriptors.O_CLOEXEC, "O_CLOEXEC in /proc/self/fdinfo after setInheritable(true)");
        s.setInheritable(false);
        assertFalse(s.getInheritable(), "getInheritable() after setInheritable(false)");
        Descriptors.assertCloseOnExec(t, s, "a socket after setInheritable(false)");
    }

    @Contract(id = "socket.descriptors.default-timeout-applies-to-accepted-sockets",
            statement = "Sockets.setDefaultTimeout applies to sockets made afterwards, accepted ones included, as CPython's "
                    + "setdefaulttimeout; sockets made before keep their mode.")
    void defaultTimeoutAppliesToAcceptedSockets(TckTarget t) throws Exception {
        if (t.semantics() == Semantics.DATAGRAM) {
            Socket before = t.open();
            Duration old = Sockets.getDefaultTimeout();
            Sockets.setDefaultTimeout(Duration.ofSeconds(7));
            try {
                assertEquals(null, before.getTimeout(), "a socket made before setDefaultTimeout keeps blocking mode");
                if (t.isSocketsChoice()) {
                    Socket made = t.track(Sockets.socket(t.family(), t.type(), t.proto()));
                    assertEquals(Duration.ofSeconds(7), made.getTimeout(), "a socket Sockets.socket made after setDefaultTimeout");
                }
            } finally {
                Sockets.setDefaultTimeout(old);
            }
            return;
        }
        Socket listener = t.listener();
        Socket client = t.open();
        Duration old = Sockets.getDefaultTimeout();
        Sockets.setDefaultTimeout(Duration.ofSeconds(7));
        try {
            client.connect(listener.getSockName());
            Socket accepted = t.track(listener.accept());
            assertEquals(Duration.ofSeconds(7), accepted.getTimeout(), "the timeout of a socket accepted after setDefaultTimeout(7 s)");
            assertEquals(null, client.getTimeout(), "a socket made before setDefaultTimeout keeps blocking mode");
        } finally {
            Sockets.setDefaultTimeout(old);
        }
    }

    @Contract(id = "socket.descriptors.adopt-reads-the-triple-from-the-kernel",
            statement = "A provider adopts an open descriptor (Python's socket(fileno=)) with the family and type the "
                    + "kernel reports, and makes a socket on a close-on-exec duplicate of it (fromfd), the original staying open.")
    void adoptReadsTheTripleFromTheKernel(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        int fd = t.optional("detach()", c.client()::detach);
        Socket adopted = t.track(t.optional("adopt(fd)", () -> t.provider().adopt(fd, false)));
        assertEquals(fd, adopted.fileno(), "the adopted socket's descriptor");
        assertEquals(t.family(), adopted.family(), "family read from the kernel");
        assertEquals(t.type(), adopted.type(), "type read from the kernel");
        Socket copy = t.track(t.provider().adopt(fd, true));
        assertNotEquals(fd, copy.fileno(), "fromfd's socket is on a duplicate");
        Descriptors.assertCloseOnExec(t, copy, "fromfd's duplicate");
        copy.sendAll(new byte[] {3});
        adopted.sendAll(new byte[] {4});
        c.server().setTimeout(LIMIT);
        byte[] got = c.server().recv(8);
        if (got.length == 1) {
            got = new byte[] {got[0], c.server().recv(8)[0]};
        }
        assertArrayEquals(new byte[] {3, 4}, got, "what the duplicate and the adopted socket sent");
    }
}
