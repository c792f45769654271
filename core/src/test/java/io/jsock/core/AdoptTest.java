package io.jsock.core;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.SocketError;
import io.jsock.SocketType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adopting a descriptor (Python's socket(fileno=) and fromfd) refuses what is no socket and leaves it open. */
class AdoptTest {
    @Test
    void aDescriptorThatIsNoSocketIsEnotsockAndStaysOpen() {
        int fd = Sys.eventfd(0, Linux.EFD_CLOEXEC);
        assertTrue(fd >= 0, "eventfd: " + fd);
        try {
            SocketError e = assertThrows(SocketError.class, () -> NativeSocket.adopt(fd, false, (f, t, p) -> true, "test"),
                    "adopting an eventfd");
            assertEquals(Errno.ENOTSOCK, e.errno(), "errno of adopting an eventfd: " + e);
            assertTrue(Files.exists(Path.of("/proc/self/fd/" + fd)), "the eventfd stays open");
        } finally {
            Sys.close(fd);
        }
    }

    @Test
    void aTripleTheProviderDoesNotTakeIsRefusedAndLeftOpen() throws Exception {
        try (NativeSocket s = NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0)) {
            int fd = s.fileno();
            SocketError e = assertThrows(SocketError.class,
                    () -> NativeSocket.adopt(fd, false, (f, t, p) -> t == SocketType.SOCK_STREAM, "streams-only"),
                    "adopting a datagram socket with a stream provider");
            assertEquals(Errno.EAFNOSUPPORT, e.errno(), "errno: " + e);
            assertEquals(fd, s.fileno(), "the socket keeps its descriptor");
        }
    }
}
