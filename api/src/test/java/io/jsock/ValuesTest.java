package io.jsock;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesTest {

    @Test
    void familiesAndTypesCarryLinuxNumbers() {
        assertEquals(1, AddressFamily.AF_UNIX.value());
        assertEquals(2, AddressFamily.AF_INET.value());
        assertEquals(10, AddressFamily.AF_INET6.value());
        assertEquals(16, AddressFamily.AF_NETLINK.value());
        assertEquals(17, AddressFamily.AF_PACKET.value());
        assertEquals(40, AddressFamily.AF_VSOCK.value());
        assertEquals(AddressFamily.AF_INET6, AddressFamily.of(10));
        for (AddressFamily f : AddressFamily.values()) {
            assertEquals(f, AddressFamily.of(f.value()), "round trip of " + f);
        }
        assertThrows(IllegalArgumentException.class, () -> AddressFamily.of(-1));
        assertThrows(IllegalArgumentException.class, () -> AddressFamily.of(4096));
        assertEquals(1, SocketType.SOCK_STREAM.value());
        assertEquals(5, SocketType.SOCK_SEQPACKET.value());
        assertEquals(SocketType.SOCK_DGRAM, SocketType.of(2));
        assertThrows(IllegalArgumentException.class, () -> SocketType.of(6));
        assertEquals(2, Shutdown.SHUT_RDWR.value());
    }

    @Test
    void errnoCarriesLinuxNumbersAndStrerror() {
        assertEquals(9, Errno.EBADF.code());
        assertEquals(11, Errno.EAGAIN.code());
        assertEquals(32, Errno.EPIPE.code());
        assertEquals(89, Errno.EDESTADDRREQ.code());
        assertEquals(98, Errno.EADDRINUSE.code());
        assertEquals(111, Errno.ECONNREFUSED.code());
        assertEquals(-2, Errno.EAI_NONAME.code());
        assertEquals(-3, Errno.EAI_AGAIN.code());
        assertEquals(Errno.ECONNRESET, Errno.of(104));
        assertEquals("Connection refused", Errno.ECONNREFUSED.description());
        assertThrows(IllegalArgumentException.class, () -> Errno.of(100_000));
        for (Errno e : Errno.values()) {
            assertEquals(e, Errno.of(e.code()), "codes are unique: " + e);
        }
    }

    @Test
    void socketErrorNamesOperationAndMeaning() {
        SocketError e = SocketError.of(Errno.ECONNREFUSED, "connect 127.0.0.1:6254");
        assertEquals("connect 127.0.0.1:6254: Connection refused", e.getMessage());
        assertEquals(Errno.ECONNREFUSED, e.errno());
        assertTrue(e.toString().contains("[Errno 111 ECONNREFUSED]"), e.toString());
        SocketTimeoutError t = new SocketTimeoutError("recv");
        assertEquals(Errno.ETIMEDOUT, t.errno());
        assertEquals("recv: timed out", t.getMessage());
    }

    @Test
    void unixAddressesHaveValueEquality() {
        assertEquals(UnixAddress.of("/tmp/a"), UnixAddress.of(Path.of("/tmp/a")));
        assertEquals(UnixAddress.of("/tmp/a"), UnixAddress.of(UnixDomainSocketAddress.of("/tmp/a")));
        assertEquals(UnixAddress.of("/tmp/a").hashCode(), UnixAddress.of(Path.of("/tmp/a")).hashCode());
        assertNotEquals(UnixAddress.of("/tmp/a"), UnixAddress.abstractName("/tmp/a"));
        assertEquals(UnixAddress.abstractName("x"), UnixAddress.of("\0x"));
        assertTrue(UnixAddress.of("").isUnnamed());
        assertEquals(UnixAddress.unnamed(), UnixAddress.of(UnixDomainSocketAddress.of("")));
    }

    @Test
    void unixAddressKindsAndRendering() {
        UnixAddress path = UnixAddress.of("/run/x.sock");
        assertFalse(path.isAbstract());
        assertEquals(Path.of("/run/x.sock"), path.path());
        assertEquals("/run/x.sock", path.toString());
        UnixAddress abs = UnixAddress.abstractName("jsock");
        assertTrue(abs.isAbstract());
        assertEquals("@jsock", abs.toString());
        assertArrayEquals(new byte[] {0, 'j', 's', 'o', 'c', 'k'}, abs.sunPath());
        assertThrows(IllegalStateException.class, abs::path);
        assertThrows(NullPointerException.class, () -> UnixAddress.of((String) null));
    }

    @Test
    void unixAddressKnowsSunPathLimit() {
        assertTrue(UnixAddress.of("/" + "a".repeat(106)).fits(), "107 bytes fit");
        assertFalse(UnixAddress.of("/" + "a".repeat(107)).fits(), "108 bytes leave no room for the NUL");
        assertTrue(UnixAddress.abstractName("a".repeat(107)).fits());
        assertFalse(UnixAddress.abstractName("a".repeat(108)).fits());
    }

    @Test
    void datagramsCompareByContent() {
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 9);
        assertEquals(new Datagram(new byte[] {1, 2}, from), new Datagram(new byte[] {1, 2}, from));
        assertNotEquals(new Datagram(new byte[] {1, 2}, from), new Datagram(new byte[] {1, 3}, from));
        assertThrows(NullPointerException.class, () -> new Datagram(null, from));
    }
}
