package io.jsock.spi;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks AbstractSocket makes for every provider, seen through a socket that records what reaches it. */
class AbstractSocketTest {

    /** A socket whose system calls only record that they were reached. */
    static class Recording extends AbstractSocket {
        final List<String> calls = new ArrayList<>();
        SocketAddress lastAddress;

        Recording(AddressFamily family) {
            super(family, SocketType.SOCK_STREAM, 0);
        }

        private <T> T reached(String call) {
            calls.add(call);
            return null;
        }

        @Override protected void implBind(SocketAddress a) { lastAddress = a; reached("bind"); }
        @Override protected void implListen(int backlog) { reached("listen " + backlog); }
        @Override protected Accepted implAccept() { return reached("accept"); }
        @Override protected void implConnect(SocketAddress a) throws SocketError {
            lastAddress = a;
            reached("connect");
            throw SocketError.of(Errno.ECONNREFUSED, "connect " + describe(a));
        }
        @Override protected byte[] implRecv(int n) { reached("recv"); return new byte[0]; }
        @Override protected int implRecvInto(ByteBuffer b) { reached("recv_into"); return 0; }
        @Override protected Datagram implRecvFrom(int n) { return reached("recvfrom"); }
        @Override protected SocketAddress implRecvFromInto(ByteBuffer b) { return reached("recvfrom_into"); }
        @Override protected int implSend(ByteBuffer b) { reached("send"); return b.remaining(); }
        @Override protected void implSendAll(ByteBuffer b) { reached("sendall"); }
        @Override protected int implSendTo(ByteBuffer b, SocketAddress a) { reached("sendto"); return 0; }
        @Override protected void implShutdown(Shutdown how) { reached("shutdown"); }
        @Override protected void implSetTimeout(Duration t) { reached("settimeout"); }
        @Override protected SocketAddress implGetPeerName() throws SocketError { throw SocketError.of(Errno.ENOTCONN, "getpeername"); }
        @Override protected SocketAddress implGetSockName() { return new InetSocketAddress("127.0.0.1", 6254); }
        @Override protected int implFileno() { return 5; }
        @Override protected <T> void implSetOption(SocketOption<T> o, T v) { reached("setsockopt"); }
        @Override protected <T> T implGetOption(SocketOption<T> o) { return reached("getsockopt"); }
        @Override protected void implClose() { reached("close"); }
        @Override public Set<SocketOption<?>> supportedOptions() { return Set.of(StandardSocketOptions.TCP_NODELAY); }
    }

    private static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 80);
    private static final InetSocketAddress V6 = new InetSocketAddress("::1", 80);

    @Test
    void callerMistakesThrowBeforeAnySystemCall() {
        Recording s = new Recording(AddressFamily.AF_INET);
        Map<String, Executable> mistakes = Map.ofEntries(
                Map.entry("bind(null)", () -> s.bind(null)),
                Map.entry("connect(null)", () -> s.connect(null)),
                Map.entry("connectEx(null)", () -> s.connectEx(null)),
                Map.entry("recv(-1)", () -> s.recv(-1)),
                Map.entry("recvFrom(-1)", () -> s.recvFrom(-1)),
                Map.entry("recvInto(null)", () -> s.recvInto(null)),
                Map.entry("recvInto(read-only)", () -> s.recvInto(ByteBuffer.allocate(4).asReadOnlyBuffer())),
                Map.entry("send(null)", () -> s.send((byte[]) null)),
                Map.entry("sendAll(null)", () -> s.sendAll((ByteBuffer) null)),
                Map.entry("sendTo(data, null)", () -> s.sendTo(new byte[1], null)),
                Map.entry("shutdown(null)", () -> s.shutdown(null)),
                Map.entry("setTimeout(-1s)", () -> s.setTimeout(Duration.ofSeconds(-1))),
                Map.entry("setOption(null, v)", () -> s.setOption(null, true)),
                Map.entry("setOption(o, null)", () -> s.setOption(StandardSocketOptions.TCP_NODELAY, null)),
                Map.entry("connect(v6) on AF_INET", () -> s.connect(V6)),
                Map.entry("bind(unix) on AF_INET", () -> s.bind(UnixAddress.of("/tmp/x"))));
        mistakes.forEach((what, call) -> {
            Throwable t = assertThrows(RuntimeException.class, call, what);
            assertTrue(t instanceof NullPointerException || t instanceof IllegalArgumentException, what + " threw " + t);
            assertTrue(t.getMessage() != null && !t.getMessage().isBlank(), what + " must say what is wrong");
        });
        assertEquals(List.of(), s.calls, "no system call may be reached by a caller's mistake");
    }

    @Test
    void argumentMessagesNameTheArgument() {
        Recording s = new Recording(AddressFamily.AF_INET);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.recv(-5)).getMessage().contains("bufsize"));
        assertTrue(assertThrows(NullPointerException.class, () -> s.connect(null)).getMessage().contains("address"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.setTimeout(Duration.ofMillis(-1))).getMessage().contains("timeout"));
    }

    @Test
    void v4AddressOnAnInet6SocketIsRefusedWithAHint() {
        Recording s = new Recording(AddressFamily.AF_INET6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.connect(V4));
        assertTrue(e.getMessage().contains("createUnresolved(\"::ffff:127.0.0.1\", 80)"), e.getMessage());
    }

    @Test
    void v4MappedLiteralIsAnIpv6AddressForAnInet6Socket() throws SocketError {
        Recording s = new Recording(AddressFamily.AF_INET6);
        s.bind(InetSocketAddress.createUnresolved("::ffff:127.0.0.1", 7));
        InetSocketAddress bound = (InetSocketAddress) s.lastAddress;
        assertInstanceOf(java.net.Inet6Address.class, bound.getAddress(), "a v4-mapped address stays IPv6 on an AF_INET6 socket");
        assertEquals(7, bound.getPort());
        byte[] b = bound.getAddress().getAddress();
        assertEquals(16, b.length);
        assertEquals((byte) 0xff, b[10]);
        assertEquals(127, b[12]);
        assertEquals(1, b[15]);
    }

    @Test
    void connectExReportsATimeoutAsEagainLikeCpython() {
        Recording s = new Recording(AddressFamily.AF_INET) {
            @Override
            protected void implConnect(SocketAddress a) throws SocketError {
                throw new io.jsock.SocketTimeoutError("connect " + describe(a));
            }
        };
        assertEquals(Errno.EAGAIN.code(), s.connectEx(V4));
    }

    @Test
    void unresolvedAddressesAreResolvedForTheSocketsFamily() throws SocketError {
        Recording s = new Recording(AddressFamily.AF_INET);
        s.bind(InetSocketAddress.createUnresolved("localhost", 0));
        InetSocketAddress bound = (InetSocketAddress) s.lastAddress;
        assertFalse(bound.isUnresolved());
        assertEquals("127.0.0.1", bound.getAddress().getHostAddress());
        SocketError e = assertThrows(SocketError.class, () -> s.bind(InetSocketAddress.createUnresolved("no-such-host.invalid", 1)));
        assertEquals(Errno.EAI_NONAME, e.errno());
    }

    @Test
    void unixAddressesAreCheckedAndConverted() throws SocketError {
        Recording s = new Recording(AddressFamily.AF_UNIX);
        s.bind(UnixDomainSocketAddress.of("/tmp/jsock-x"));
        assertEquals(UnixAddress.of("/tmp/jsock-x"), s.lastAddress);
        SocketError e = assertThrows(SocketError.class, () -> s.bind(UnixAddress.of("/tmp/" + "n".repeat(120))));
        assertEquals(Errno.ENAMETOOLONG, e.errno());
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.bind(V4));
    }

    @Test
    void connectExReturnsTheErrnoCode() {
        Recording s = new Recording(AddressFamily.AF_INET);
        assertEquals(111, s.connectEx(V4));
        s.close();
        assertEquals(9, s.connectEx(V4), "connect_ex on a closed socket returns EBADF, as in Python");
    }

    @Test
    void everyCallOnAClosedSocketIsEbadf() {
        Recording s = new Recording(AddressFamily.AF_INET);
        s.close();
        s.close();
        assertEquals(List.of("close"), s.calls, "close reaches the provider once");
        Map<String, Executable> calls = Map.ofEntries(
                Map.entry("bind", () -> s.bind(V4)), Map.entry("listen", () -> s.listen(1)),
                Map.entry("accept", s::accept), Map.entry("connect", () -> s.connect(V4)),
                Map.entry("recv", () -> s.recv(1)), Map.entry("recvInto", () -> s.recvInto(ByteBuffer.allocate(1))),
                Map.entry("recvFrom", () -> s.recvFrom(1)), Map.entry("recvFromInto", () -> s.recvFromInto(ByteBuffer.allocate(1))),
                Map.entry("send", () -> s.send(new byte[1])), Map.entry("sendAll", () -> s.sendAll(new byte[1])),
                Map.entry("sendTo", () -> s.sendTo(new byte[1], V4)), Map.entry("shutdown", () -> s.shutdown(Shutdown.SHUT_RDWR)),
                Map.entry("setTimeout", () -> s.setTimeout(null)), Map.entry("setBlocking", () -> s.setBlocking(false)),
                Map.entry("getPeerName", s::getPeerName), Map.entry("getSockName", s::getSockName),
                Map.entry("setOption", () -> s.setOption(StandardSocketOptions.TCP_NODELAY, true)),
                Map.entry("getOption", () -> s.getOption(StandardSocketOptions.TCP_NODELAY)),
                Map.entry("inputStream", s::inputStream), Map.entry("outputStream", s::outputStream));
        calls.forEach((name, call) -> {
            SocketError e = assertThrows(SocketError.class, call, name + " on a closed socket");
            assertEquals(Errno.EBADF, e.errno(), name + ": " + e);
        });
        assertEquals(List.of("close"), s.calls, "no call on a closed socket may reach the provider");
        assertTrue(s.isClosed());
    }

    @Test
    void filenoIsMinusOneOnceClosed() throws SocketError {
        Recording s = new Recording(AddressFamily.AF_INET);
        assertEquals(5, s.fileno());
        s.close();
        assertEquals(-1, s.fileno());
    }

    @Test
    void modesFollowPython() throws SocketError {
        Recording s = new Recording(AddressFamily.AF_INET);
        assertNull(s.getTimeout());
        assertTrue(s.getBlocking());
        s.setTimeout(Duration.ofSeconds(2));
        assertTrue(s.getBlocking(), "timeout mode is blocking mode to getblocking()");
        s.setBlocking(false);
        assertEquals(Duration.ZERO, s.getTimeout());
        assertFalse(s.getBlocking());
        s.setBlocking(true);
        assertNull(s.getTimeout());
    }

    @Test
    void unsupportedOptionIsEnoprotoopt() {
        Recording s = new Recording(AddressFamily.AF_INET);
        SocketError e = assertThrows(SocketError.class, () -> s.setOption(StandardSocketOptions.SO_BROADCAST, true));
        assertEquals(Errno.ENOPROTOOPT, e.errno());
        assertFalse(s.calls.contains("setsockopt"));
    }

    @Test
    void reprReadsLikePython() {
        Recording s = new Recording(AddressFamily.AF_INET);
        assertEquals("<socket fd=5, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=127.0.0.1:6254>", s.toString());
        s.close();
        assertEquals("<socket [closed] fd=-1, family=AF_INET, type=SOCK_STREAM, proto=0>", s.toString());
    }

    @Test
    void reprLeavesOutAnUnnamedAddressAsPythonDoes() {
        Recording s = new Recording(AddressFamily.AF_UNIX) {
            @Override
            protected SocketAddress implGetSockName() {
                return UnixAddress.unnamed();
            }
        };
        assertEquals("<socket fd=5, family=AF_UNIX, type=SOCK_STREAM, proto=0>", s.toString());
    }

    @Test
    void describeWritesV6InBracketsInRfc5952Form() throws Exception {
        assertEquals("[::1]:80", AbstractSocket.describe(V6));
        String[][] cases = {{"::", "::"}, {"0:0:0:0:0:0:0:1", "::1"}, {"fe80:0:0:0:0:0:0:1", "fe80::1"},
                {"2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
                {"1:0:0:2:0:0:0:3", "1:0:0:2::3"}, {"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"}, {"0:0:1:0:0:0:0:0", "0:0:1::"},
                {"2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"}, {"0:0:0:0:0:ffff:7f00:1", "::ffff:127.0.0.1"}};
        for (String[] c : cases) {
            byte[] bytes = InetAddress.getByName(c[0]).getAddress();
            Inet6Address a = Inet6Address.getByAddress(null, bytes.length == 16 ? bytes : mapped(bytes), -1);
            assertEquals("[" + c[1] + "]:7", AbstractSocket.describe(new InetSocketAddress(a, 7)), c[0]);
        }
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        assertEquals("[fe80::1%4242]:7", AbstractSocket.describe(new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 4242), 7)),
                "a scope with no interface of that index is its number");
        assertEquals("127.0.0.1:80", AbstractSocket.describe(V4));
        assertEquals("@x", AbstractSocket.describe(UnixAddress.abstractName("x")));
    }

    private static byte[] mapped(byte[] v4) {
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(v4, 0, m, 12, 4);
        return m;
    }

    @Test
    void streamsReadEndAsMinusOneAndDoNotCloseTheSocket() throws Exception {
        Recording s = new Recording(AddressFamily.AF_INET);
        assertEquals(-1, s.inputStream().read(new byte[4]));
        s.inputStream().close();
        s.outputStream().close();
        assertFalse(s.isClosed(), "closing a makefile stream leaves the socket open, as in Python");
        assertInstanceOf(java.io.InputStream.class, s.inputStream());
    }
}
