package io.jsock.differential;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Call sequences where jsock once answered differently from CPython — found by probes of the NIO
 * providers before the native core, and by {@link DifferentialPropertiesTest} since — kept as
 * named cases in the differential test's vocabulary ({@link JsockRun}). In each, jsock's tokens
 * must equal CPython's, and CPython's must be the Linux answer written with the case, so that a
 * case which no longer reaches the state it was written for shows as such.
 */
class DifferentialCasesTest {
    private static Differential differential;

    /** A case: its name, the kind and ops it runs, and the tokens CPython answers on Linux. */
    record Case(String name, Kind kind, String ops, String linux) {
    }

    private static final List<Case> CASES = List.of(
            // udp_sendmsg checks the length (more than 65535: EMSGSIZE) before it looks for a destination
            new Case("udp-send-70000-unconnected", Kind.UDP4, "setblocking:1 send:70000", "ok 90"),
            // udpv6_sendmsg looks for the destination first (EDESTADDRREQ)
            new Case("udp6-send-70000-unconnected", Kind.UDP6, "setblocking:1 send:70000", "ok 89"),
            // shutdown of an unconnected UDP socket is ENOTCONN and changes nothing send says
            new Case("udp-send-after-shutdown-rdwr", Kind.UDP4, "setblocking:1 shutdown:RDWR send:1", "ok 107 89"),
            // a connected UDP socket's sendto another address sends there, from the connected socket's port
            new Case("udp-sendto-other-address-while-connected", Kind.UDP4,
                    "setblocking:1 connect:R sendto:1:B peer_recv", "ok ok ok:1 ok:1,lo:p1"),
            // sendto bound the socket: bind is EINVAL
            new Case("udp-bind-after-implicit-bind", Kind.UDP4, "setblocking:1 sendto:1:B bind:lo0", "ok ok:1 22"),
            // connect keeps the datagrams already queued; only later ones from others are filtered
            new Case("udp-connect-keeps-queued-datagrams", Kind.UDP4,
                    "setblocking:1 bind:lo0 peer_send:1 connect:R recv:65536", "ok ok ok:1 ok ok:1"),
            // a refused connect gives its port back: bind then says EADDRINUSE for a busy port, and binds a free one
            new Case("tcp-bind-busy-port-after-refused-connect", Kind.TCP4, "setblocking:1 connect:R bind:R", "ok 111 98"),
            new Case("tcp-bind-after-refused-connect", Kind.TCP4, "setblocking:1 connect:R bind:lo0 getsockname",
                    "ok 111 ok ok:lo:p1"),
            new Case("tcp-getpeername-after-connect-ex-0", Kind.TCP4, "setblocking:1 connect_ex:B getpeername", "ok 0 ok:lo:pB"),
            new Case("tcp6-getpeername-after-connect-ex-0", Kind.TCP6, "setblocking:1 connect_ex:B getpeername", "ok 0 ok:lo:pB"),
            // SHUT_RD of a connected socket is fine, and recv then reads the end of the stream
            new Case("tcp-shutdown-rd-connected", Kind.TCP4, "setblocking:1 connect:B shutdown:RD recv:1", "ok ok ok ok:0"),
            // a blocking connect that is refused resets the local address (tcp_disconnect), the port stays
            new Case("tcp-getsockname-after-refused-blocking-connect-ex", Kind.TCP4,
                    "setblocking:1 connect_ex:R getsockname", "ok 111 ok:any:p1"),
            // one that waited in poll learns the refusal from SO_ERROR: 127.0.0.1 stays
            new Case("tcp-getsockname-after-refused-timed-connect-ex", Kind.TCP4, "connect_ex:R getsockname", "111 ok:lo:p1"),
            // listen(0) queues one connection; the next one's SYN is dropped, so its connect times out
            new Case("tcp-listen-0-second-connection-pending", Kind.TCP4,
                    "bind:lo0 listen:0 peer_connect peer_connect setblocking:0 accept accept", "ok ok ok timeout ok ok:lo:p1 11"),
            // shutdown of an unconnected socket is ENOTCONN but stays: after a connect, send is EPIPE
            new Case("tcp-send-after-shutdown-wr-and-connect-ex", Kind.TCP4,
                    "setblocking:1 shutdown:WR connect_ex:B send:1", "ok 107 0 32"),
            // a self-connect after SHUT_WR is made and at once gone: in timeout mode connect succeeds (SO_ERROR 0)
            new Case("tcp-timed-self-connect-after-shutdown-wr", Kind.TCP4, "bind:lo0 shutdown:WR connect:self getpeername",
                    "ok 107 ok 107"),
            new Case("tcp-blocking-self-connect-after-shutdown-wr", Kind.TCP4,
                    "setblocking:1 bind:lo0 shutdown:WR connect:self getpeername", "ok ok 107 103 107"),
            // a failed send leaves nothing behind: connect, getpeername and shutdown work
            new Case("tcp-connect-after-send-epipe", Kind.TCP4,
                    "setblocking:1 send:1 connect:B getpeername shutdown:RDWR", "ok 32 ok ok:lo:pB ok"),
            new Case("unix-dgram-recv-after-connect-gets-queued-datagram", Kind.UNIX_DGRAM,
                    "setblocking:1 bind:lo0 peer_send:1 connect:B recv:65536", "ok ok ok:1 ok ok:1"),
            // in timeout mode CPython polls before the first try (sock_call_ex): what never gets ready times out
            new Case("timeout-mode-udp-accept-times-out", Kind.UDP4, "accept", "timeout"),
            new Case("nonblocking-udp-accept-is-eopnotsupp", Kind.UDP4, "setblocking:0 accept", "ok 95"),
            new Case("timeout-mode-listener-recv-send-time-out", Kind.TCP4, "listen:1 recv:1 send:1", "ok timeout timeout"),
            new Case("blocking-listener-recv-send-fail", Kind.TCP4, "setblocking:1 listen:1 recv:1 send:1", "ok ok 107 32"),
            // an AF_UNIX datagram socket polls writable only while less than a quarter of SO_SNDBUF is queued
            new Case("timeout-mode-unix-dgram-second-70000-waits", Kind.UNIX_DGRAM,
                    "sendto:70000:B sendto:70000:B", "ok:70000 timeout"),
            // one send or recv on a stream takes what fits or what is there, also beyond jsock's 64 KiB pieces
            new Case("tcp-nonblocking-send-70000-in-one-call", Kind.TCP4, "connect:B setblocking:0 send:70000", "ok ok ok:70000"),
            new Case("unix-stream-timeout-send-70000-in-one-call", Kind.UNIX_STREAM, "connect:B send:70000", "ok ok:70000"),
            new Case("tcp-recv-100000-takes-70000-queued", Kind.TCP4,
                    "connect:B peer_accept peer_send:70000 setblocking:0 recv:100000 recv:100000",
                    "ok ok:lo:p1 ok:70000 ok ok:70000 11"),
            new Case("unix-stream-recv-100000-takes-70000-queued", Kind.UNIX_STREAM,
                    "connect:B peer_accept peer_send:70000 setblocking:0 recv:100000 recv:100000",
                    "ok ok:unnamed ok:70000 ok ok:70000 11"),
            // recv(0) asks the kernel nothing: no EAGAIN, and a queued datagram stays
            new Case("recv-zero-nonblocking-udp", Kind.UDP4, "setblocking:0 recv:0", "ok ok:0"),
            new Case("recv-zero-keeps-queued-datagram", Kind.UNIX_DGRAM, "bind:lo0 peer_send:1 recv:0 recv:1", "ok ok:1 ok:0 ok:1"));

    /**
     * Where a virtual thread's emulation of blocking mode (an O_NONBLOCK descriptor, the poller)
     * once answered otherwise than a blocking descriptor (found with -Djsock.differential.threads=virtual).
     */
    private static final List<Case> VIRTUAL_CASES = List.of(
            // a blocking connect leaves the socket connected for the kernel too: connect again is EISCONN
            new Case("blocking-connect-then-connect-ex-is-eisconn", Kind.TCP4, "setblocking:1 connect:B connect_ex:B", "ok ok 106"),
            // a refused blocking connect disconnects (tcp_disconnect): recv is ENOTCONN, a second connect is refused anew
            new Case("refused-blocking-connect-ex-then-recv", Kind.TCP4, "setblocking:1 connect_ex:R recv:100000", "ok 111 107"),
            new Case("refused-blocking-connect-ex-twice", Kind.TCP6, "setblocking:1 connect_ex:R connect_ex:R", "ok 111 111"),
            // a blocking datagram receive on a socket shut for reading returns b'' at once
            new Case("udp-blocking-recv-after-shutdown-rd", Kind.UDP4, "setblocking:1 shutdown:RD recv:1", "ok 107 ok:0"),
            new Case("unix-dgram-blocking-recvfrom-after-shutdown-rd", Kind.UNIX_DGRAM,
                    "bind:lo0 shutdown:RD setblocking:1 recvfrom:65536", "ok ok ok ok:0,None"));

    /** The CPython process, started for the first case; each case is skipped, with the reason, without python3. */
    private static synchronized Differential differential() {
        Cpython.skipReason().ifPresent(Assumptions::abort);
        if (differential == null) {
            differential = Differential.start();
        }
        return differential;
    }

    @AfterAll
    static synchronized void stopPython() {
        if (differential != null) {
            differential.close();
            differential = null;
        }
    }

    @TestFactory
    Stream<DynamicTest> jsockAnswersAsCpython() {
        return Stream.concat(CASES.stream(), VIRTUAL_CASES.stream())
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, false)));
    }

    /**
     * The same cases with jsock on a virtual thread, whose blocking mode is an O_NONBLOCK
     * descriptor and the poller: it must still answer as a blocking descriptor does.
     */
    @TestFactory
    Stream<DynamicTest> jsockAnswersAsCpythonOnVirtualThreads() {
        return Stream.concat(CASES.stream(), VIRTUAL_CASES.stream())
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Differential.noVirtualThreads().ifPresent(Assumptions::abort);
                    check(c, true);
                }));
    }

    private static void check(Case c, boolean virtual) {
        Differential.Outcome outcome = differential().compare(c.kind(), List.of(c.ops().split(" ")), virtual);
        assertEquals(c.linux(), String.join(" ", outcome.cpython()), "CPython's answer in case " + c.name()
                + " is not the one the case was written for\n" + outcome.report());
        assertEquals(outcome.cpython(), outcome.jsock(), outcome::report);
    }

    /**
     * A difference jsock keeps: CPython's recv(0) returns b'' before it looks at the descriptor,
     * so even on a closed socket; SPEC.md says every call on a closed socket is EBADF.
     */
    @Test
    void recvZeroOnClosedSocketIsEbadfUnlikeCpython() {
        Differential.Outcome outcome = differential().run(Kind.UDP4, List.of("close", "recv:0"));
        assertEquals(List.of("ok", "ok:0"), outcome.cpython(), outcome::report);
        assertEquals(List.of("ok", "9"), outcome.jsock(), outcome::report);
    }

    /**
     * A difference jsock keeps, for now: a TCP write of more than 64 KiB from a heap array to a
     * peer that has closed. jsock copies heap data to native memory in 64 KiB pieces, one send(2)
     * each; the reset that the first piece draws is processed when that call ends, so the second
     * piece meets it: send returns 65536 (the error is the next call's) and sendall fails with EPIPE.
     * CPython's one send(2) copies all 70000 bytes while the socket is locked and learns of the
     * reset only afterwards. Being exact needs one send(2) of the whole: a native buffer as large
     * as the write (or the array passed pinned); DifferentialPropertiesTest leaves these sequences out.
     */
    @Test
    void bigTcpWriteToClosedPeerIsCutAtTheFirstPieceUnlikeCpython() {
        Differential.Outcome send = differential().run(Kind.TCP4,
                List.of("connect:B", "peer_accept", "peer_close", "send:70000", "send:1"));
        assertEquals(List.of("ok", "ok:lo:p1", "ok", "ok:70000", "32"), send.cpython(), send::report);
        assertEquals(List.of("ok", "ok:lo:p1", "ok", "ok:65536", "32"), send.jsock(), send::report);
        Differential.Outcome sendall = differential().run(Kind.TCP4,
                List.of("connect:B", "peer_accept", "peer_close", "sendall:70000"));
        assertEquals(List.of("ok", "ok:lo:p1", "ok", "ok"), sendall.cpython(), sendall::report);
        assertEquals(List.of("ok", "ok:lo:p1", "ok", "32"), sendall.jsock(), sendall::report);
    }
}
