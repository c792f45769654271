package io.jsock;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CMSG_LEN and CMSG_SPACE with CPython 3.11's answers on x86-64 Linux, and the message records' equality. */
class CmsgTest {
    @Test
    void cmsgLenIsHeaderPlusData() {
        assertEquals(16, Sockets.cmsgLen(0));
        assertEquals(17, Sockets.cmsgLen(1));
        assertEquals(24, Sockets.cmsgLen(8));
        assertEquals(2147483647, Sockets.cmsgLen(2147483631), "CPython's largest CMSG_LEN argument");
    }

    @Test
    void cmsgSpaceIsPaddedToEightBytes() {
        assertEquals(16, Sockets.cmsgSpace(0));
        assertEquals(24, Sockets.cmsgSpace(1));
        assertEquals(24, Sockets.cmsgSpace(8));
        assertEquals(32, Sockets.cmsgSpace(12));
        assertEquals(2147483640, Sockets.cmsgSpace(2147483623), "CPython's largest CMSG_SPACE argument");
    }

    @Test
    void outOfRangeIsIllegalArgumentAsCpythonsOverflowError() {
        for (int bad : new int[] {-1, Integer.MIN_VALUE, 2147483632, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.cmsgLen(bad), "CMSG_LEN(" + bad + ")");
            assertEquals("CMSG_LEN() argument out of range: " + bad, e.getMessage());
        }
        for (int bad : new int[] {-1, 2147483624, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.cmsgSpace(bad), "CMSG_SPACE(" + bad + ")");
            assertEquals("CMSG_SPACE() argument out of range: " + bad, e.getMessage());
        }
    }

    @Test
    void recordsWithArraysCompareByContent() {
        assertEquals(new Ancillary(1, 1, new byte[] {1, 0, 0, 0}), new Ancillary(1, 1, new byte[] {1, 0, 0, 0}));
        assertNotEquals(new Ancillary(1, 1, new byte[] {1}), new Ancillary(1, 2, new byte[] {1}));
        assertEquals(new Ancillary(1, 1, new byte[] {7}).hashCode(), new Ancillary(1, 1, new byte[] {7}).hashCode());
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 9);
        assertEquals(new Message(new byte[] {1}, List.of(new Ancillary(0, 8, new byte[] {2})), 0x20, from),
                new Message(new byte[] {1}, List.of(new Ancillary(0, 8, new byte[] {2})), 0x20, from));
        assertNotEquals(new Message(new byte[] {1}, List.of(), 0, null), new Message(new byte[] {2}, List.of(), 0, null));
        assertEquals(new FdMessage(new byte[] {1}, new int[] {5, 6}, 0, null), new FdMessage(new byte[] {1}, new int[] {5, 6}, 0, null));
        assertEquals(new FdMessage(new byte[0], new int[] {5}, 8, null).hashCode(), new FdMessage(new byte[0], new int[] {5}, 8, null).hashCode());
        assertNotEquals(new FdMessage(new byte[] {1}, new int[] {5}, 0, null), new FdMessage(new byte[] {1}, new int[] {6}, 0, null));
    }
}
