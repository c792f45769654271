package io.jsock.cli;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketTimeoutError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jsock cat} and {@code jsock echo} as a netcat user expects them; the peers are jsock sockets of the test. */
class NetcatTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static InetSocketAddress inet(String address) {
        int colon = address.lastIndexOf(':');
        return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    private static String after(String line, String prefix) {
        assertTrue(line.startsWith(prefix), line);
        return line.substring(prefix.length());
    }

    /** Everything until the end of stream. */
    private static byte[] readAll(Socket s) throws SocketError {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = s.recv(65536)).length > 0) {
            all.writeBytes(chunk);
        }
        return all.toByteArray();
    }

    // ---- cat -l -------------------------------------------------------------------------------

    @Test
    void catListensForOneConnectionThenBehavesAsCat() throws Exception {
        Running cat = Running.start(new ByteArrayInputStream(bytes("from cat\n")), "cat", "-l", "-v", "inet", "stream", "127.0.0.1:0");
        String address = after(cat.awaitErr("jsock: listening on "), "jsock: listening on ");
        try (Socket client = Sockets.createConnection(inet(address), LIMIT)) {
            client.sendAll(bytes("to cat\n"));
            client.shutdown(Shutdown.SHUT_WR);
            assertEquals("from cat\n", new String(readAll(client), StandardCharsets.UTF_8), "cat sends stdin, then SHUT_WR");
            assertEquals(0, cat.awaitExit(), cat.err.text());
            assertEquals("to cat\n", cat.out.text());
            assertTrue(cat.err.text().contains("jsock: accepted " + Endpoints.format(client.getSockName()) + " on " + address + "\n"),
                    "-v says whom it accepted: " + cat.err.text());
        }
        assertThrows(SocketError.class, () -> Sockets.createConnection(inet(address), LIMIT), "one connection only: the listener is closed");
    }

    @Test
    void catListensForOneDatagramPeerThenAnswersIt() throws Exception {
        PipedOutputStream stdin = new PipedOutputStream();
        Running cat = Running.start(new PipedInputStream(stdin), "cat", "-l", "-v", "--wait", "0.2", "inet", "dgram", "127.0.0.1:0");
        String address = after(cat.awaitErr("jsock: listening on "), "jsock: listening on ");
        try (Socket peer = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM)) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            peer.setTimeout(LIMIT);
            peer.sendTo(bytes("ping\n"), inet(address));
            cat.awaitErr("jsock: connected to " + Endpoints.format(peer.getSockName()));
            stdin.write(bytes("pong\n"));
            stdin.close();
            Datagram reply = peer.recvFrom(100);
            assertEquals("pong\n", new String(reply.data(), StandardCharsets.UTF_8));
            assertEquals(inet(address), reply.address());
            assertEquals(0, cat.awaitExit(), cat.err.text());
            assertEquals("ping\n", cat.out.text(), "the first datagram is written to stdout");
        }
    }

    // ---- -v, -w, -s, --no-shutdown ------------------------------------------------------------

    @Test
    void verboseSaysWhatWasConnectedAndEchoLogsEachConnection() throws Exception {
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "-v", "inet", "stream", "127.0.0.1:0")) {
            String address = echo.awaitListening();
            Running cat = Running.start(new ByteArrayInputStream(bytes("hello")), "cat", "-v", "inet", "stream", address);
            assertEquals(0, cat.awaitExit(), cat.err.text());
            assertEquals("hello", cat.out.text());
            String connected = cat.err.text();
            assertTrue(connected.matches("jsock: connected to " + address.replace(".", "\\.") + " from 127\\.0\\.0\\.1:\\d+\n"), connected);
            String from = connected.substring(connected.lastIndexOf(' ') + 1).strip();
            echo.awaitErr("jsock: " + from + " ended after 5 bytes");
            assertTrue(echo.err.text().startsWith("jsock: accepted " + from + "\n"), echo.err.text());
        }
    }

    @Test
    void dashWIsTheConnectTimeout() throws Exception {
        try (Socket listener = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.listen(0);
            String address = Endpoints.format(listener.getSockName());
            List<Socket> queued = new ArrayList<>();
            try {
                // fill the backlog: then a SYN gets no answer and connect waits
                while (queued.size() < 32) {
                    Socket s = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
                    queued.add(s);
                    s.setTimeout(Duration.ofMillis(200));
                    try {
                        s.connect(listener.getSockName());
                    } catch (SocketTimeoutError full) {
                        break;
                    }
                }
                long t0 = System.nanoTime();
                ArgumentsTest.Outcome o = ArgumentsTest.run("cat", "-w", "0.5", "inet", "stream", address);
                long took = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(1, o.status(), o.err());
                assertEquals("jsock: connect " + address + ": timed out\n", o.err());
                assertTrue(took >= 450 && took < 10_000, "gave up after -w 0.5 s: " + took + " ms");
            } finally {
                queued.forEach(Socket::close);
            }
        }
    }

    @Test
    void dashWIsAnIdleTimeout() throws Exception {
        try (Socket listener = Sockets.createServer(new InetSocketAddress("127.0.0.1", 0));
             PipedOutputStream never = new PipedOutputStream(); PipedInputStream stdin = new PipedInputStream(never)) {
            long t0 = System.nanoTime();
            Running cat = Running.start(stdin, "cat", "-v", "-w", "0.5", "inet", "stream", Endpoints.format(listener.getSockName()));
            try (Socket quiet = listener.accept().socket()) {
                assertFalse(quiet.isClosed(), "the peer keeps the connection open and says nothing");
                assertEquals(0, cat.awaitExit(), "a connection idle for -w ends quietly: " + cat.err.text());
                long took = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(took >= 450, "waited " + took + " ms");
                assertTrue(cat.err.text().endsWith("jsock: nothing sent or received for 0.5 s (-w): closing\n"), cat.err.text());
            }
        }
    }

    @Test
    void dashSBindsTheSourceAddress() throws Exception {
        int port;
        try (Socket probe = Sockets.socket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) probe.getSockName()).getPort();
        }
        try (Socket listener = Sockets.createServer(new InetSocketAddress("127.0.0.1", 0))) {
            Running cat = Running.start(new ByteArrayInputStream(new byte[0]), "cat", "-s", "127.0.0.1:" + port, "inet", "stream",
                    Endpoints.format(listener.getSockName()));
            try (Socket accepted = listener.accept().socket()) {
                assertEquals(new InetSocketAddress("127.0.0.1", port), accepted.getPeerName(), "the peer's address is -s's");
            }
            assertEquals(0, cat.awaitExit(), cat.err.text());
        }
    }

    @Test
    void noShutdownKeepsTheSendingSideOpenAtStdinsEnd() throws Exception {
        try (Socket listener = Sockets.createServer(new InetSocketAddress("127.0.0.1", 0))) {
            String address = Endpoints.format(listener.getSockName());
            for (boolean keepOpen : new boolean[] {false, true}) {
                Running cat = keepOpen
                        ? Running.start(new ByteArrayInputStream(bytes("x")), "cat", "--no-shutdown", "inet", "stream", address)
                        : Running.start(new ByteArrayInputStream(bytes("x")), "cat", "inet", "stream", address);
                try (Socket server = listener.accept().socket()) {
                    server.setTimeout(LIMIT);
                    assertArrayEquals(bytes("x"), server.recv(10));
                    server.setTimeout(Duration.ofMillis(500));
                    if (keepOpen) {
                        assertThrows(SocketTimeoutError.class, () -> server.recv(10), "with --no-shutdown no end of stream comes");
                        assertTrue(cat.alive(), "cat waits for the peer's end of stream");
                    } else {
                        assertEquals(0, server.recv(10).length, "without it, SHUT_WR at stdin's end");
                    }
                }
                assertEquals(0, cat.awaitExit(), cat.err.text());
            }
        }
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test
    void aResetNamesThePeer() throws Exception {
        try (Socket listener = Sockets.createServer(new InetSocketAddress("127.0.0.1", 0));
             PipedOutputStream open = new PipedOutputStream(); PipedInputStream stdin = new PipedInputStream(open)) {
            String address = Endpoints.format(listener.getSockName());
            Running cat = Running.start(stdin, "cat", "inet", "stream", address);
            try (Socket server = listener.accept().socket()) {
                server.setOption(StandardSocketOptions.SO_LINGER, 0);
            } // close with SO_LINGER 0: a reset
            assertEquals(1, cat.awaitExit(), cat.err.text());
            assertEquals("jsock: recv " + address + ": Connection reset by peer\n", cat.err.text());
        }
    }

    // ---- a closed stdout -------------------------------------------------------------------------

    @Test
    void catIntoHeadEndsQuietlyWithStatus0() throws Exception {
        try (Socket listener = Sockets.createServer(new InetSocketAddress("127.0.0.1", 0))) {
            Thread talker = new Thread(() -> {
                try (Socket s = listener.accept().socket()) {
                    byte[] chunk = new byte[65536];
                    for (int i = 0; i < 10_000; i++) {
                        s.sendAll(chunk); // far more than head reads: cat must notice head is gone
                    }
                } catch (SocketError peerGone) {
                    // cat closed the connection once head went away
                }
            });
            talker.setDaemon(true);
            talker.start();
            List<String> command = Child.command(List.of(), "cat", "inet", "stream", Endpoints.format(listener.getSockName()));
            String script = String.join(" ", command.stream().map(NetcatTest::shellQuote).toList())
                    + " </dev/null 2>" + shellQuote(dir.resolve("err").toString()) + " | head -c 100 >/dev/null; echo \"${PIPESTATUS[0]}\"";
            Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
            assertTrue(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "cat | head did not end");
            String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals("0", status, "cat's exit status; its stderr: " + Files.readString(dir.resolve("err")));
            assertEquals("", Files.readString(dir.resolve("err")), "nothing on stderr");
            talker.join(LIMIT.toMillis());
        }
    }

    @Test
    void stdoutGoneInProcessEndsQuietlyToo() throws Exception {
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "inet", "stream", "127.0.0.1:0")) {
            String address = echo.awaitListening();
            OutputStream closed = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("Broken pipe");
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(new String[] {"cat", "inet", "stream", address}, new ByteArrayInputStream(bytes("echoed")),
                    new PrintStream(closed, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    // ---- socket files ---------------------------------------------------------------------------

    /** A socket file nobody serves, as {@code kill -9} of a server leaves it. */
    private static Path staleSocketFile(Path path, SocketType type) throws SocketError {
        try (Socket dead = Sockets.socket(AddressFamily.AF_UNIX, type)) {
            dead.bind(UnixAddress.of(path));
        }
        assertTrue(Files.exists(path), "close() leaves the socket file");
        return path;
    }

    @Test
    void echoReplacesAStaleSocketFile() throws Exception {
        for (SocketType type : new SocketType[] {SocketType.SOCK_STREAM, SocketType.SOCK_DGRAM}) {
            Path path = staleSocketFile(dir.resolve(type + ".sock"), type);
            try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "unix", type.name(), path.toString())) {
                assertEquals(path.toString(), echo.awaitListening(), echo.err.text());
                try (Socket client = Sockets.socket(AddressFamily.AF_UNIX, type)) {
                    client.setTimeout(LIMIT);
                    if (type == SocketType.SOCK_DGRAM) {
                        client.bind(UnixAddress.unnamed());
                    }
                    client.connect(UnixAddress.of(path));
                    client.sendAll(bytes("alive"));
                    assertArrayEquals(bytes("alive"), client.recv(10), "the new server answers at the old path");
                }
            }
            assertFalse(Files.exists(path), "the echo removes the file it made");
        }
    }

    @Test
    void echoNeverReplacesALiveSocketOrAFileThatIsNoSocket() throws Exception {
        Path live = dir.resolve("live.sock");
        try (Socket server = Sockets.createServer(UnixAddress.of(live))) {
            ArgumentsTest.Outcome o = ArgumentsTest.run("echo", "unix", "stream", live.toString());
            assertEquals(1, o.status(), o.err());
            assertEquals("jsock: bind " + live + ": Address already in use\n", o.err());
            try (Socket client = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM)) {
                client.connect(UnixAddress.of(live));
                server.accept().socket().close();
            }
        }
        Path regular = Files.writeString(dir.resolve("notes.txt"), "keep me");
        ArgumentsTest.Outcome o = ArgumentsTest.run("echo", "unix", "dgram", regular.toString());
        assertEquals(1, o.status(), o.err());
        assertEquals("keep me", Files.readString(regular), "a file that is no socket is left as it was");
    }

    @Test
    void echoRemovesOnlyTheSocketFileItMadeInProcess() throws Exception {
        Path path = dir.resolve("mine.sock");
        Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "unix", "stream", path.toString());
        echo.awaitListening();
        Path other = Files.writeString(dir.resolve("other"), "someone else's");
        Files.move(other, path, StandardCopyOption.REPLACE_EXISTING);
        echo.close();
        assertEquals("someone else's", Files.readString(path), "the file put at the path meanwhile stays");
    }

    @Test
    void echoOnSigtermRemovesItsSocketFileAndNoOtherFile() throws Exception {
        for (boolean replaced : new boolean[] {false, true}) {
            Path path = dir.resolve("sigterm-" + replaced + ".sock");
            try (Child echo = Child.start("echo", "unix", "stream", path.toString())) {
                assertEquals("listening on " + path, echo.awaitOut());
                if (replaced) {
                    Path other = Files.writeString(dir.resolve("other-" + replaced), "someone else's");
                    Files.move(other, path, StandardCopyOption.REPLACE_EXISTING);
                }
                echo.process.destroy(); // SIGTERM
                echo.awaitExit();
            }
            if (replaced) {
                assertEquals("someone else's", Files.readString(path), "SIGTERM removes only the inode echo made");
            } else {
                assertFalse(Files.exists(path), "SIGTERM removes the socket file echo made");
            }
        }
    }

    @Test
    void catUnixDgramIsAnsweredAtAnAutoboundNameAndLeavesNoFileOnSigterm() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "-v", "unix", "dgram", dir.resolve("e.sock").toString())) {
            String address = echo.awaitListening();
            try (Child cat = Child.start(Child.command(List.of("-Djava.io.tmpdir=" + tmp), "cat", "-v", "unix", "dgram", address), null)) {
                cat.process.getOutputStream().write(bytes("hi\n"));
                cat.process.getOutputStream().flush();
                assertEquals("hi", cat.awaitOut(), "the reply came back to cat");
                String from = after(echo.awaitErr("jsock: @"), "jsock: ");
                assertTrue(from.matches("@[0-9a-f]{5}: 3 bytes"), "an autobound abstract name, as Linux gives: " + from);
                cat.process.destroy(); // SIGTERM, stdin still open
                cat.awaitExit();
            }
            try (var left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "nothing left in java.io.tmpdir");
            }
        }
    }

    // ---- servers that go on ---------------------------------------------------------------------

    @Test
    void aDatagramEchoDoesNotBlockOnAPeerThatNeverReads() throws Exception {
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "unix", "dgram", dir.resolve("d.sock").toString())) {
            UnixAddress server = UnixAddress.of(echo.awaitListening());
            try (Socket deaf = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
                 Socket polite = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM)) {
                deaf.bind(UnixAddress.unnamed());
                deaf.setTimeout(Duration.ofMillis(50));
                byte[] datagram = new byte[1024];
                // the replies fill deaf's receive queue; a blocking sendto would then stop the server
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until && !echo.err.text().contains("dropped")) {
                    try {
                        deaf.sendTo(datagram, server);
                    } catch (SocketTimeoutError serverQueueFull) {
                        // the server reads on; so does this loop
                    }
                }
                echo.awaitErr("jsock: dropped the reply to " + Endpoints.format(deaf.getSockName()) + ": its receive queue is full (1 reply dropped so far)");
                polite.bind(UnixAddress.unnamed());
                polite.setTimeout(Duration.ofSeconds(5));
                polite.sendTo(bytes("still there?"), server);
                assertArrayEquals(bytes("still there?"), polite.recv(100), "the server answers the others");
                assertEquals(1, echo.err.text().lines().filter(l -> l.contains("dropped")).count(),
                        "one report per run of drops: " + echo.err.text());
            }
        }
    }

    @Test
    void echoBacksOffWhenOutOfDescriptorsAndGoesOn() throws Exception {
        String ulimit = "ulimit -n 256 && exec " + String.join(" ", Child.command(List.of("-Xss256k"), "echo", "inet", "stream", "127.0.0.1:0")
                .stream().map(NetcatTest::shellQuote).toList());
        List<Socket> clients = new ArrayList<>();
        try (Child echo = Child.start(List.of("bash", "-c", ulimit), null)) {
            String address = after(echo.awaitOut(), "listening on ");
            try {
                for (int i = 0; i < 400 && !echo.stderr().contains("Too many open files"); i++) {
                    Socket c = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
                    clients.add(c);
                    c.setTimeout(LIMIT);
                    c.connect(inet(address)); // the kernel completes it; accept may not
                    if (i % 16 == 15) {
                        echoedOrBusy(c); // paces the clients by the server: it has taken this one, or it is out of descriptors
                    }
                }
                String line = echo.awaitErr("jsock: accept");
                assertEquals("jsock: accept: Too many open files; accepting again as soon as it can", line);
            } finally {
                clients.forEach(Socket::close);
            }
            try (Socket c = Sockets.createConnection(inet(address), LIMIT)) {
                c.sendAll(bytes("after the burst"));
                c.shutdown(Shutdown.SHUT_WR);
                assertArrayEquals(bytes("after the burst"), readAll(c), "served again once descriptors freed up");
            }
            assertTrue(echo.process.isAlive(), "echo goes on: " + echo.stderr());
            assertEquals(1, echo.stderr().lines().filter(l -> l.contains("Too many open files")).count(), "one report per burst: " + echo.stderr());
        }
    }

    /**
     * The burst of issue 14: 4000 datagrams of 1 to 1400 bytes sent as fast as a loop can, without
     * waiting for replies. CPython's UDPServer answered them all; an echo with the default receive
     * queue (about 200 KiB) lost nine in ten before it could read them. Every reply must come back.
     */
    @Test
    void echoAnswersABurstOfDatagramsWithoutLoss() throws Exception {
        // one read of the whole: a numeric sysctl answers a read at a later offset with nothing, so
        // Files.readString (which reads one byte first, the file having no size) would see "4"
        long rmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).strip());
        org.junit.jupiter.api.Assumptions.assumeTrue(rmemMax >= 4 << 20,
                "net.core.rmem_max is " + rmemMax + " bytes: a receive queue that holds the burst needs 4 MiB");
        java.util.Random random = new java.util.Random(4000);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            byte[] d = new byte[1 + random.nextInt(1400)];
            random.nextBytes(d);
            for (int b = 0; b < Math.min(4, d.length); b++) {
                d[b] = (byte) (i >>> (8 * b)); // its number, where it has room
            }
            sent.add(d);
        }
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "inet", "dgram", "127.0.0.1:0");
             Socket client = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM)) {
            String address = echo.awaitListening();
            client.setOption(StandardSocketOptions.SO_RCVBUF, 16 << 20); // the replies wait here until the burst is sent
            client.connect(inet(address));
            for (byte[] d : sent) {
                client.send(d);
            }
            client.setTimeout(LIMIT);
            List<byte[]> received = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                received.add(client.recv(2048));
            }
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "reply " + i + " of the burst, in the order sent");
            }
        } catch (SocketTimeoutError e) {
            throw new AssertionError("the echo server lost datagrams of a 4000-datagram burst: a reply did not come within "
                    + LIMIT.toSeconds() + " s", e);
        }
    }

    // ---- every type a provider offers ------------------------------------------------------------

    @Test
    void echoAndCatTakeSeqpacket() throws Exception {
        Path path = dir.resolve("seq.sock");
        try (Running echo = Running.start(new ByteArrayInputStream(new byte[0]), "echo", "unix", "seqpacket", path.toString())) {
            assertEquals(path.toString(), echo.awaitListening(), echo.err.text());
            try (Socket client = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET)) {
                client.setTimeout(LIMIT);
                client.connect(UnixAddress.of(path));
                client.sendAll(bytes("one"));
                client.sendAll(bytes("two"));
                assertArrayEquals(bytes("one"), client.recv(1000), "each message back whole, boundaries kept");
                assertArrayEquals(bytes("two"), client.recv(1000));
            }
            Running cat = Running.start(new ByteArrayInputStream(bytes("alpha\nbeta\n")), "cat", "unix", "seqpacket", path.toString());
            assertEquals(0, cat.awaitExit(), cat.err.text());
            assertEquals("alpha\nbeta\n", cat.out.text());
        }
    }

    @Test
    void refusedDatagramsNameThePeer() throws Exception {
        SocketAddress closed;
        try (Socket probe = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM)) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = probe.getSockName();
        }
        ArgumentsTest.Outcome o = ArgumentsTest.run("cat", "inet", "dgram", Endpoints.format(closed));
        // stdin is empty: nothing is sent, the wait ends quietly
        assertEquals(0, o.status(), o.err());
        Running cat = Running.start(new ByteArrayInputStream(bytes("anyone?\n")), "cat", "--wait", "2", "inet", "dgram", Endpoints.format(closed));
        assertEquals(1, cat.awaitExit(), cat.err.text());
        assertEquals("jsock: recv " + Endpoints.format(closed) + ": " + Errno.ECONNREFUSED.description() + "\n", cat.err.text());
    }

    /** A round trip on {@code c}, waiting at most a second: the echo server took the connection, or it is busy. */
    private static void echoedOrBusy(Socket c) throws Exception {
        c.sendAll(bytes("?"));
        c.setTimeout(Duration.ofSeconds(1));
        try {
            c.recv(1);
        } catch (SocketTimeoutError outOfDescriptors) {
            // the server could not accept it (EMFILE): the loop's condition sees its report next
        } finally {
            c.setTimeout(LIMIT);
        }
    }
}
