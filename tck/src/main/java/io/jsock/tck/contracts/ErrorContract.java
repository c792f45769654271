package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors of connection-oriented sockets: closed sockets, calls in the wrong state, caller's mistakes. */
@ContractGroup(name = "errors", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ErrorContract {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Contract(id = "stream.errors.every-call-on-closed-socket-raises-ebadf",
            statement = "Every operation on a closed socket raises EBADF (connect_ex returns 9), fileno() returns -1, "
                    + "and close() may be repeated.")
    void everyCallOnClosedSocketRaisesEbadf(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        SocketAddress address = c.listener().getSockName();
        for (Socket s : new Socket[] {t.open(), c.client(), c.listener()}) {
            String which = s == c.client() ? "a closed connected socket" : s == c.listener() ? "a closed listening socket" : "a closed new socket";
            SocketOption<?> option = s.supportedOptions().stream()
                    .filter(o -> o.type() == Boolean.class || o.type() == Integer.class)
                    .findFirst().orElse(StandardSocketOptions.SO_RCVBUF);
            s.close();
            Map<String, TckTarget.SocketCall<?>> calls = new LinkedHashMap<>();
            calls.put("bind", () -> call(() -> s.bind(t.bindAddress())));
            calls.put("listen", () -> call(() -> s.listen(1)));
            calls.put("accept", s::accept);
            calls.put("connect", () -> call(() -> s.connect(address)));
            calls.put("recv", () -> s.recv(1));
            calls.put("recvInto", () -> s.recvInto(ByteBuffer.allocate(1)));
            calls.put("recvFrom", () -> s.recvFrom(1));
            calls.put("recvFromInto", () -> s.recvFromInto(ByteBuffer.allocate(1)));
            calls.put("send(byte[])", () -> s.send(new byte[1]));
            calls.put("send(ByteBuffer)", () -> s.send(ByteBuffer.allocate(1)));
            calls.put("sendAll(byte[])", () -> call(() -> s.sendAll(new byte[1])));
            calls.put("sendAll(ByteBuffer)", () -> call(() -> s.sendAll(ByteBuffer.allocate(1))));
            calls.put("sendTo(byte[])", () -> s.sendTo(new byte[1], address));
            calls.put("sendTo(ByteBuffer)", () -> s.sendTo(ByteBuffer.allocate(1), address));
            calls.put("shutdown", () -> call(() -> s.shutdown(Shutdown.SHUT_RDWR)));
            calls.put("setTimeout", () -> call(() -> s.setTimeout(Duration.ofSeconds(1))));
            calls.put("setBlocking", () -> call(() -> s.setBlocking(false)));
            calls.put("getPeerName", s::getPeerName);
            calls.put("getSockName", s::getSockName);
            calls.put("getOption(" + option.name() + ")", () -> s.getOption(option));
            calls.put("setOption(" + option.name() + ")", () -> call(() -> setSameValue(s, option)));
            calls.put("inputStream", s::inputStream);
            calls.put("outputStream", s::outputStream);
            for (Map.Entry<String, TckTarget.SocketCall<?>> e : calls.entrySet()) {
                assertErrno(Errno.EBADF, e.getKey() + " on " + which, e.getValue());
            }
            assertEquals(Errno.EBADF.code(), s.connectEx(address), "connectEx on " + which);
            assertEquals(-1, s.fileno(), "fileno() of " + which);
            s.close();
            assertTrue(s.isClosed(), "isClosed() of " + which + " closed twice");
            assertEquals(t.family(), s.family(), "family() of " + which);
            assertEquals(t.type(), s.type(), "type() of " + which);
        }
    }

    @Contract(id = "stream.errors.negative-bufsize-raises-iae",
            statement = "A negative bufsize is a caller's mistake: IllegalArgumentException naming it, before any I/O, and the connection is unharmed.")
    void negativeBufsizeRaisesIae(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().sendAll(new byte[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.server().recv(-1), "recv(-1)");
        assertTrue(e.getMessage() != null && e.getMessage().contains("bufsize"), "message of recv(-1) must name bufsize: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.server().recvFrom(-1), "recvFrom(-1)");
        assertTrue(e.getMessage() != null && e.getMessage().contains("bufsize"), "message of recvFrom(-1) must name bufsize: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.server().recvInto(ByteBuffer.allocate(4).asReadOnlyBuffer()), "recvInto(a read-only buffer)");
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {1}, c.server().recv(1), "recv after the rejected calls must still find the byte");
    }

    @Contract(id = "stream.errors.null-arguments-raise-npe",
            statement = "A null argument is a caller's mistake: NullPointerException naming it, before any I/O.")
    void nullArgumentsRaiseNpe(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Socket s = c.client();
        Map<String, org.junit.jupiter.api.function.Executable> calls = new LinkedHashMap<>();
        calls.put("data", () -> s.send((byte[]) null));
        calls.put("src", () -> s.send((ByteBuffer) null));
        calls.put("data ", () -> s.sendAll((byte[]) null));
        calls.put("src ", () -> s.sendAll((ByteBuffer) null));
        calls.put("dst", () -> s.recvInto(null));
        calls.put("dst ", () -> s.recvFromInto(null));
        calls.put("how", () -> s.shutdown(null));
        calls.put("option", () -> s.setOption(null, 1));
        calls.put("option ", () -> s.getOption(null));
        for (Map.Entry<String, org.junit.jupiter.api.function.Executable> e : calls.entrySet()) {
            String argument = e.getKey().strip();
            NullPointerException npe = assertThrows(NullPointerException.class, e.getValue(), "a call with a null " + argument);
            assertTrue(npe.getMessage() != null && npe.getMessage().contains(argument),
                    "NullPointerException of a call with a null " + argument + " must name it: " + npe.getMessage());
        }
        if (!s.supportedOptions().isEmpty()) {
            SocketOption<?> option = s.supportedOptions().iterator().next();
            @SuppressWarnings("unchecked")
            SocketOption<Object> any = (SocketOption<Object>) option;
            NullPointerException npe = assertThrows(NullPointerException.class, () -> s.setOption(any, null), "setOption(" + option.name() + ", null)");
            assertTrue(npe.getMessage() != null && npe.getMessage().contains("value"), "message of setOption(" + option.name() + ", null) must name the value: " + npe.getMessage());
        }
        s.sendAll(new byte[] {2});
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {2}, c.server().recv(1), "recv of a byte the client sent after the rejected null calls");
    }

    @Contract(id = "stream.errors.recv-unconnected-raises-enotconn",
            statement = "recv on a socket that is not connected raises ENOTCONN (EINVAL for Linux AF_UNIX SOCK_STREAM), and so does it on a non-blocking listening socket.")
    void recvUnconnectedRaisesEnotconn(TckTarget t) throws Exception {
        Errno expected = t.family() == AddressFamily.AF_UNIX && t.type() == SocketType.SOCK_STREAM ? Errno.EINVAL : Errno.ENOTCONN;
        Socket s = t.open();
        s.setTimeout(LIMIT);
        assertErrno(expected, "recv on a new socket", () -> s.recv(1));
        assertErrno(expected, "recvInto on a new socket", () -> s.recvInto(ByteBuffer.allocate(1)));
        Socket listener = t.listener();
        listener.setBlocking(false); // tried at once: in timeout mode the call waits for readiness first, as CPython's, and times out
        assertErrno(expected, "recv on a listening socket", () -> listener.recv(1));
    }

    @Contract(id = "stream.errors.send-unconnected-raises-epipe",
            statement = "send on a socket that is not connected raises EPIPE for TCP and ENOTCONN for AF_UNIX, as Linux does, and so does it on a non-blocking listening socket.")
    void sendUnconnectedRaisesEpipe(TckTarget t) throws Exception {
        Errno expected = t.family() == AddressFamily.AF_UNIX ? Errno.ENOTCONN : Errno.EPIPE;
        Socket s = t.open();
        s.setTimeout(LIMIT);
        assertErrno(expected, "send on a new socket", () -> s.send(new byte[] {1}));
        assertErrno(expected, "sendAll on a new socket", () -> call(() -> s.sendAll(new byte[] {1})));
        Socket listener = t.listener();
        listener.setBlocking(false); // tried at once: in timeout mode the call waits for readiness first, as CPython's, and times out
        assertErrno(expected, "send on a listening socket", () -> listener.send(new byte[] {1}));
    }

    @Contract(id = "stream.errors.accept-without-listen-raises-einval",
            statement = "accept on a socket that is not listening (new, bound or connected) raises EINVAL.")
    void acceptWithoutListenRaisesEinval(TckTarget t) throws Exception {
        Socket fresh = t.open();
        fresh.setTimeout(LIMIT);
        assertErrno(Errno.EINVAL, "accept on a new socket", fresh::accept);
        Socket bound = t.bound();
        bound.setTimeout(LIMIT);
        assertErrno(Errno.EINVAL, "accept on a bound, not listening socket", bound::accept);
        TckTarget.Connection c = t.connection();
        assertErrno(Errno.EINVAL, "accept on a connected socket", c.client()::accept);
    }

    @Contract(id = "stream.errors.listen-on-connected-raises-einval",
            statement = "listen on a connected socket raises EINVAL, and the connection keeps working.")
    void listenOnConnectedRaisesEinval(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        assertErrno(Errno.EINVAL, "listen on a connected client", () -> call(() -> c.client().listen(1)));
        c.client().sendAll(new byte[] {6});
        c.server().setTimeout(LIMIT);
        assertArrayEquals(new byte[] {6}, c.server().recv(1), "recv of a byte sent after the rejected listen");
    }

    @Contract(id = "stream.errors.bind-after-listen-fails",
            statement = "bind on a listening socket fails: EINVAL for IP sockets, EINVAL or EADDRINUSE for AF_UNIX as Linux reports.")
    void bindAfterListenFails(TckTarget t) throws Exception {
        Socket listener = t.listener();
        SocketAddress other = t.bindAddress();
        java.util.Set<Errno> expected = t.family() == AddressFamily.AF_UNIX
                ? java.util.EnumSet.of(Errno.EINVAL, Errno.EADDRINUSE) : java.util.EnumSet.of(Errno.EINVAL);
        TckTarget.assertErrnoIn(expected, "bind(" + other + ") on a listening socket", () -> call(() -> listener.bind(other)));
    }

    @Contract(id = "stream.errors.messages-name-the-call-and-address",
            statement = "A SocketError's message names the call and the address, then what the errno means, as in "
                    + "'connect 127.0.0.1:6254: Connection refused'.")
    void messagesNameTheCallAndAddress(TckTarget t) throws Exception {
        SocketAddress refusing = t.refusingAddress();
        Socket s = t.open();
        io.jsock.SocketError e = assertErrno(Errno.ECONNREFUSED, "connect to " + refusing, () -> call(() -> s.connect(refusing)));
        String message = e.getMessage();
        String where = io.jsock.spi.AbstractSocket.describe(refusing);
        assertTrue(message != null && message.startsWith("connect"), "message of a refused connect must start with the call: " + message);
        assertTrue(message.contains(where), "message of a refused connect must name the address " + where + ": " + message);
        assertTrue(message.toLowerCase(java.util.Locale.ROOT).contains("refused"), "message of a refused connect must say it was refused: " + message);
    }

    @Contract(id = "stream.errors.errno-same-under-every-locale",
            statement = "A failing call raises the same errno whatever the locale: a JVM under LANG=de_DE.UTF-8 or ja_JP.UTF-8 gets "
                    + "the errnos it gets under LANG=C for a foreign and a taken address, a refused connect and a reset peer "
                    + "(AF_UNIX: a missing path, a file in the way, nobody serving).")
    void errnoSameUnderEveryLocale(TckTarget t) throws Exception {
        LocaleErrnos.assertSameUnderEveryLocale(t);
    }

    /** Runs a void call as a {@link TckTarget.SocketCall}. */
    static Object call(VoidCall call) throws Exception {
        call.run();
        return null;
    }

    @FunctionalInterface
    interface VoidCall {
        void run() throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> void setSameValue(Socket s, SocketOption<T> option) throws Exception {
        Object value;
        Class<T> type = option.type();
        if (type == Boolean.class) {
            value = Boolean.TRUE;
        } else if (type == Integer.class) {
            value = 4096;
        } else {
            throw new AssertionError("no sample value for " + option.name());
        }
        s.setOption(option, (T) value);
    }
}
