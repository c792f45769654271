package io.jsock.tck.contracts;

import io.jsock.Sockopt;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.jsock.tck.TckTarget.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket options of connection-oriented sockets: setsockopt and getsockopt. */
@ContractGroup(name = "options", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class OptionContract {
    /** A buffer size well below every Linux default, so that a provider ignoring it shows. */
    private static final int SMALL_BUFFER = 4096;

    private static final List<SocketOption<Boolean>> FLAGS =
            List.of(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR);

    /** An option no provider can know, to check the refusal of unsupported ones. */
    private static final SocketOption<Integer> UNKNOWN = new SocketOption<>() {
        @Override
        public String name() {
            return "JSOCK_TCK_NO_SUCH_OPTION";
        }

        @Override
        public Class<Integer> type() {
            return Integer.class;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    @Contract(id = "stream.options.flags-round-trip",
            statement = "TCP_NODELAY, SO_KEEPALIVE and SO_REUSEADDR, where supported, read back what was set, on and off.")
    void flagsRoundTrip(TckTarget t) throws Exception {
        Socket s = t.open();
        List<SocketOption<Boolean>> present = supported(s, FLAGS);
        if (present.isEmpty()) {
            throw t.skip("None of " + FLAGS + " is among the supported options " + s.supportedOptions() + ".");
        }
        for (SocketOption<Boolean> o : present) {
            s.setOption(o, true);
            assertEquals(true, s.getOption(o), "getOption(" + o.name() + ") after setting it true");
            s.setOption(o, false);
            assertEquals(false, s.getOption(o), "getOption(" + o.name() + ") after setting it false");
        }
    }

    @Contract(id = "stream.options.buffer-sizes-take-a-value",
            statement = "SO_RCVBUF and SO_SNDBUF, where supported, take a size: a small one reads back small (Linux doubles it), "
                    + "a large one reads back larger.")
    void bufferSizesTakeAValue(TckTarget t) throws Exception {
        Socket s = t.open();
        List<SocketOption<Integer>> present = supported(s, List.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF));
        if (present.isEmpty()) {
            throw t.skip("Neither SO_RCVBUF nor SO_SNDBUF is among the supported options " + s.supportedOptions() + ".");
        }
        for (SocketOption<Integer> o : present) {
            int before = s.getOption(o);
            assertTrue(before > 0, "getOption(" + o.name() + ") of a new socket must be positive, got " + before);
            s.setOption(o, SMALL_BUFFER);
            int small = s.getOption(o);
            assertTrue(small >= SMALL_BUFFER && small <= 4 * SMALL_BUFFER,
                    "getOption(" + o.name() + ") after setting " + SMALL_BUFFER + " must be between " + SMALL_BUFFER + " and "
                            + 4 * SMALL_BUFFER + " (Linux doubles it), got " + small);
            s.setOption(o, 1 << 20);
            int large = s.getOption(o);
            assertTrue(large > small, "getOption(" + o.name() + ") after setting 1 MiB must exceed the " + small + " read after setting "
                    + SMALL_BUFFER + ", got " + large);
        }
    }

    @Contract(id = "stream.options.linger-round-trip",
            statement = "SO_LINGER, where supported, reads back the seconds set, and a negative value turns it off.")
    void lingerRoundTrip(TckTarget t) throws Exception {
        Socket s = t.open();
        if (!s.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
            throw t.skip("SO_LINGER is not among the supported options " + s.supportedOptions() + ".");
        }
        assertTrue(s.getOption(StandardSocketOptions.SO_LINGER) < 0, "getOption(SO_LINGER) of a new socket must be negative (off), got "
                + s.getOption(StandardSocketOptions.SO_LINGER));
        s.setOption(StandardSocketOptions.SO_LINGER, 5);
        assertEquals(5, s.getOption(StandardSocketOptions.SO_LINGER), "getOption(SO_LINGER) after setting 5 s");
        s.setOption(StandardSocketOptions.SO_LINGER, -1);
        assertTrue(s.getOption(StandardSocketOptions.SO_LINGER) < 0, "getOption(SO_LINGER) after setting -1 must be negative (off)");
    }

    @Contract(id = "stream.options.unsupported-option-raises-enoprotoopt",
            statement = "Setting or reading an option the socket does not support raises ENOPROTOOPT.")
    void unsupportedOptionRaisesEnoprotoopt(TckTarget t) throws Exception {
        Socket s = t.open();
        assertErrno(Errno.ENOPROTOOPT, "getOption(" + UNKNOWN.name() + ")", () -> s.getOption(UNKNOWN));
        assertErrno(Errno.ENOPROTOOPT, "setOption(" + UNKNOWN.name() + ", 1)", () -> ErrorContract.call(() -> s.setOption(UNKNOWN, 1)));
        for (SocketOption<?> o : List.of(StandardSocketOptions.IP_MULTICAST_TTL, StandardSocketOptions.SO_BROADCAST,
                StandardSocketOptions.IP_MULTICAST_LOOP)) {
            if (!s.supportedOptions().contains(o)) {
                assertErrno(Errno.ENOPROTOOPT, "getOption(" + o.name() + ") not in " + s.supportedOptions(), () -> s.getOption(o));
            }
        }
    }

    @Contract(id = "stream.options.bad-values-raise-before-io",
            statement = "A null option value raises NullPointerException naming the value, one of the wrong type IllegalArgumentException.")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void badValuesRaiseBeforeIo(TckTarget t) throws Exception {
        Socket s = t.open();
        SocketOption<?> option = s.supportedOptions().stream()
                .filter(o -> o.type() == Boolean.class || o.type() == Integer.class).findFirst()
                .orElseThrow(() -> t.skip("No Boolean or Integer option is among the supported options " + s.supportedOptions() + "."));
        SocketOption raw = option;
        NullPointerException npe = assertThrows(NullPointerException.class, () -> s.setOption(raw, null), "setOption(" + option.name() + ", null)");
        assertTrue(npe.getMessage() != null && npe.getMessage().contains("value"), "message of setOption(" + option.name() + ", null) must name the value: " + npe.getMessage());
        Object wrong = option.type() == Boolean.class ? (Object) "yes" : (Object) Boolean.TRUE;
        assertThrows(IllegalArgumentException.class, () -> s.setOption(raw, wrong), "setOption(" + option.name() + ", a " + wrong.getClass().getSimpleName() + ")");
    }

    @Contract(id = "stream.options.options-survive-connect-and-listen",
            statement = "Options set before connect() or listen() keep their values on the connected and the listening socket.")
    void optionsSurviveConnectAndListen(TckTarget t) throws Exception {
        Socket listener = t.open();
        Socket client = t.open();
        List<SocketOption<Boolean>> flags = supported(client, FLAGS);
        if (flags.isEmpty() && !client.supportedOptions().contains(StandardSocketOptions.SO_RCVBUF)) {
            throw t.skip("None of " + FLAGS + " or SO_RCVBUF is among the supported options " + client.supportedOptions() + ".");
        }
        for (SocketOption<Boolean> o : flags) {
            client.setOption(o, true);
            listener.setOption(o, true);
        }
        boolean rcvbuf = client.supportedOptions().contains(StandardSocketOptions.SO_RCVBUF);
        int size = 0;
        if (rcvbuf) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, SMALL_BUFFER);
            size = client.getOption(StandardSocketOptions.SO_RCVBUF);
            assertTrue(size <= 4 * SMALL_BUFFER, "getOption(SO_RCVBUF) after setting " + SMALL_BUFFER + " must be at most " + 4 * SMALL_BUFFER + ", got " + size);
        }
        listener.bind(t.bindAddress());
        listener.listen(4);
        client.connect(listener.getSockName());
        t.track(listener.accept());
        for (SocketOption<Boolean> o : flags) {
            assertEquals(true, client.getOption(o), "getOption(" + o.name() + ") of the client after connect");
            assertEquals(true, listener.getOption(o), "getOption(" + o.name() + ") of the listener after listen");
        }
        if (rcvbuf) {
            assertEquals(size, client.getOption(StandardSocketOptions.SO_RCVBUF), "getOption(SO_RCVBUF) of the client after connect");
        }
    }

    @Contract(id = "stream.options.supported-options-are-readable",
            statement = "Every option in supportedOptions() can be read on a connected socket.")
    void supportedOptionsAreReadable(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        Set<SocketOption<?>> all = c.client().supportedOptions();
        assertTrue(all != null, "supportedOptions() of a connected socket must not be null");
        for (SocketOption<?> o : all) {
            Object value = c.client().getOption(o);
            assertTrue(value == null || o.type().isInstance(value),
                    "getOption(" + o.name() + ") must be a " + o.type().getSimpleName() + ", got " + value.getClass().getSimpleName());
        }
    }

    private static <T> List<SocketOption<T>> supported(Socket s, List<SocketOption<T>> wanted) {
        List<SocketOption<T>> present = new ArrayList<>();
        for (SocketOption<T> o : wanted) {
            if (s.supportedOptions().contains(o)) {
                present.add(o);
            }
        }
        return present;
    }

    @Contract(id = "stream.options.numeric-options-round-trip",
            statement = "setOption and getOption by number (Python's setsockopt/getsockopt) reach the kernel: SO_REUSEADDR "
                    + "round-trips, SO_TYPE and SO_DOMAIN read the socket's type and family, a buffer length reads that many "
                    + "bytes, and an unknown option is ENOPROTOOPT.")
    void numericOptionsRoundTrip(TckTarget t) throws Exception {
        checkNumericOptions(t);
    }

    /** The numeric-options rule, shared with the datagram group. */
    static void checkNumericOptions(TckTarget t) throws Exception {
        Socket s = t.open();
        t.optional("setsockopt by number", () -> {
            s.setOption(Sockopt.SOL_SOCKET, Sockopt.SO_REUSEADDR, 1);
            return null;
        });
        assertEquals(1, s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_REUSEADDR), "getsockopt(SOL_SOCKET, SO_REUSEADDR) after setting 1");
        s.setOption(Sockopt.SOL_SOCKET, Sockopt.SO_REUSEADDR, new byte[] {0, 0, 0, 0});
        assertEquals(0, s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_REUSEADDR), "getsockopt(SOL_SOCKET, SO_REUSEADDR) after setting 4 zero bytes");
        assertEquals(t.type().value(), s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_TYPE), "getsockopt(SOL_SOCKET, SO_TYPE)");
        assertEquals(t.family().value(), s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_DOMAIN), "getsockopt(SOL_SOCKET, SO_DOMAIN)");
        assertEquals(4, s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_RCVBUF, 64).length,
                "getsockopt(SOL_SOCKET, SO_RCVBUF, 64) must return the 4 bytes of the int the kernel wrote");
        assertErrno(Errno.ENOPROTOOPT, "getsockopt(SOL_SOCKET, 9999)", () -> s.getOption(Sockopt.SOL_SOCKET, 9999));
        assertThrows(IllegalArgumentException.class, () -> s.getOption(Sockopt.SOL_SOCKET, Sockopt.SO_TYPE, 0),
                "getsockopt with buflen 0 is a caller's mistake, as in CPython");
    }

    @Contract(id = "stream.options.buffer-size-reads-back-as-the-kernel-keeps-it",
            statement = "SO_RCVBUF and SO_SNDBUF set to 4096 read back 8192: getsockopt(2) reports the doubled size Linux "
                    + "keeps (room for its bookkeeping), as CPython shows.")
    void bufferSizeReadsBackAsTheKernelKeepsIt(TckTarget t) throws Exception {
        checkBufferSizeDoubled(t);
    }

    /** The doubled-buffer rule, shared with the datagram group. */
    static void checkBufferSizeDoubled(TckTarget t) throws Exception {
        Socket s = t.open();
        for (SocketOption<Integer> o : List.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF)) {
            if (!s.supportedOptions().contains(o)) {
                continue;
            }
            s.setOption(o, 4096);
            assertEquals(8192, s.getOption(o), "getOption(" + o.name() + ") after setting 4096");
        }
    }
}
