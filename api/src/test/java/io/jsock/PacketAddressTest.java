package io.jsock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PacketAddress: Python's (ifname, proto, pkttype, hatype, addr), by value, checked before any I/O. */
class PacketAddressTest {
    @Test
    void equalByContentAndAddressCopied() {
        byte[] hw = {0, 1, 2, 3, 4, 5};
        PacketAddress a = new PacketAddress("lo", PacketAddress.ETH_P_IP, PacketAddress.PACKET_HOST, 772, hw);
        hw[0] = 9;
        PacketAddress b = new PacketAddress("lo", 0x0800, 0, 772, new byte[] {0, 1, 2, 3, 4, 5});
        assertEquals(b, a, "the same fields, the address by content; the caller's array is copied");
        assertEquals(b.hashCode(), a.hashCode());
        assertNotEquals(new PacketAddress("lo", 0x0800, 4, 772, new byte[] {0, 1, 2, 3, 4, 5}), a, "pkttype counts");
        byte[] out = a.address();
        out[1] = 7;
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, a.address(), "the accessor gives a copy");
        assertEquals("('lo', 2048, 0, 772, 00:01:02:03:04:05)", a.toString());
    }

    @Test
    void constantsAreLinuxs() {
        assertEquals(3, PacketAddress.ETH_P_ALL);
        assertEquals(0x0800, PacketAddress.ETH_P_IP);
        assertEquals(4, PacketAddress.PACKET_OUTGOING);
    }

    @Test
    void badFieldsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PacketAddress("lo", 0x10000, 0, 0, new byte[0]))
                .getMessage().contains("protocol"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PacketAddress("lo", 0, 256, 0, new byte[0]))
                .getMessage().contains("pktType"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PacketAddress("lo", 0, 0, -1, new byte[0]))
                .getMessage().contains("haType"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PacketAddress("lo", 0, 0, 0, new byte[9]))
                .getMessage().contains("at most 8"));
        assertEquals("ifname", assertThrows(NullPointerException.class, () -> new PacketAddress(null, 0, 0, 0, new byte[0])).getMessage());
        assertEquals("address", assertThrows(NullPointerException.class, () -> new PacketAddress("lo", 0, 0, 0, null)).getMessage());
    }
}
