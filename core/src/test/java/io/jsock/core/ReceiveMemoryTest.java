package io.jsock.core;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Socket;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A receive takes memory for what arrived, not for what the caller could take: CPython allocates
 * bufsize for one call and shrinks the result; the first round allocated and kept bufsize of
 * direct memory per thread (1 GiB after recv(1 GiB), OutOfMemoryError for recv(Integer.MAX_VALUE)).
 */
class ReceiveMemoryTest {
    /** What a receive may leave behind in direct memory: the scratch of at most 64 KiB and its control block. */
    private static final long KEPT = 256 << 10;

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeAll() {
        sockets.forEach(Socket::close);
    }

    private SocketPair pair(SocketType type) throws Exception {
        SocketPair p = NativeSocket.openPair(AddressFamily.AF_UNIX, type, 0);
        sockets.add(p.first());
        sockets.add(p.second());
        return p;
    }

    private static long directMemory() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }

    /**
     * Direct memory comes back to at most {@link #KEPT} above {@code before}: a temporary buffer
     * (for a datagram bigger than the scratch) is freed once collected, so the GC is asked to run.
     */
    private static void assertKeptAtMost(long before, String after) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long kept;
        do {
            System.gc();
            kept = directMemory() - before;
            if (kept <= KEPT) {
                return;
            }
            Thread.sleep(50); // the Cleaner frees the memory on its own thread after the collection
        } while (System.nanoTime() < deadline);
        throw new AssertionError("direct memory kept after " + after + ": " + kept + " bytes (at most " + KEPT + ")");
    }

    @Test
    void hugeStreamReceivesReturnWhatArrivedAndKeepNothing() throws Exception {
        SocketPair p = pair(SocketType.SOCK_STREAM);
        p.first().sendAll(new byte[] {1});
        p.second().recv(1); // the thread's scratch exists from here on
        long before = directMemory();
        p.first().sendAll(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, p.second().recv(Integer.MAX_VALUE), "recv(Integer.MAX_VALUE) of 3 waiting bytes");
        p.first().sendAll(new byte[] {4});
        assertArrayEquals(new byte[] {4}, p.second().recv(1 << 30), "recv(1 GiB) of 1 waiting byte");
        ByteBuffer big = ByteBuffer.allocate(256 << 20);
        p.first().sendAll(new byte[] {5, 6});
        assertEquals(2, p.second().recvInto(big), "recvInto a 256 MiB heap buffer of 2 waiting bytes");
        assertKeptAtMost(before, "receives of up to 2 GiB");
    }

    @Test
    void hugeDatagramReceivesTakeTheDatagramsSize() throws Exception {
        SocketPair p = pair(SocketType.SOCK_DGRAM);
        p.first().send(new byte[] {1});
        p.second().recv(1);
        long before = directMemory();
        byte[] hundred = new byte[100];
        hundred[99] = 9;
        p.first().send(hundred);
        assertArrayEquals(hundred, p.second().recv(16 << 20), "recv(16 MiB) of a 100-byte datagram");
        p.first().send(hundred);
        Datagram d = p.second().recvFrom(Integer.MAX_VALUE);
        assertArrayEquals(hundred, d.data(), "recvFrom(Integer.MAX_VALUE) of a 100-byte datagram");
        byte[] large = new byte[150_000]; // more than the scratch: received through memory of its size
        large[149_999] = 7;
        p.first().setOption(java.net.StandardSocketOptions.SO_SNDBUF, 1 << 20);
        p.first().send(large);
        assertArrayEquals(large, p.second().recv(1 << 30), "recv(1 GiB) of a 150,000-byte datagram");
        assertKeptAtMost(before, "datagram receives into up to 2 GiB");
    }
}
