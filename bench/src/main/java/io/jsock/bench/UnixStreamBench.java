package io.jsock.bench;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * AF_UNIX SOCK_STREAM over a socket file: jsock's unix provider against the JDK's own AF_UNIX
 * {@link SocketChannel} (Java 16+) and jnr-unixsocket's channel, in the same run. Each state has
 * a peer thread of the same implementation: an echo for the 1-byte ping-pong, a drain for the
 * 64 KiB bulk sends. Every channel is in blocking mode. Pairs to compare: {@code X_jsock} with
 * {@code X_raw} (the JDK's channel); {@code X_jnr} is jnr-unixsocket's.
 *
 * <ul>
 *   <li>{@code bulkSend*}: one invocation sends 64 KiB to a draining peer; the score counts
 *       bytes, so it reads as <b>bytes/s</b>. {@code Direct}: from a 64 KiB direct buffer
 *       ({@code sendAll(ByteBuffer)} / {@code write} until done); {@code Array}: from a 64 KiB
 *       {@code byte[]} ({@code sendAll(byte[])} / {@code write(wrap(array))} until done).</li>
 *   <li>{@code pingPong*}: one invocation is one 1-byte round trip; the score is <b>round
 *       trips/s</b>. {@code Direct}: a 1-byte direct buffer each way; {@code Bytes}: Python's
 *       style, {@code send(byte[])} and {@code recv(1)} (a new array per call), against a JDK
 *       channel that wraps and allocates the same.</li>
 * </ul>
 *
 * <pre>java -jar bench/target/benchmarks.jar 'UnixStreamBench' -f 3 -wi 3 -i 5 -w 1s -r 1s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnixStreamBench {
    static final int BULK = 64 * 1024;

    /** jsock: a ping-pong connection and a bulk connection, each with its peer thread. */
    @State(Scope.Thread)
    public static class Jsock {
        Path dir;
        Socket listener;
        Socket ping;
        Socket bulk;
        Thread echo;
        Thread drain;
        final ByteBuffer one = ByteBuffer.allocateDirect(1);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(BULK);
        final byte[] array = new byte[BULK];
        final byte[] oneByte = {1};

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("jsock-bench");
            UnixAddress address = UnixAddress.of(dir.resolve("jsock.sock"));
            listener = Sockets.createServer(address);
            ping = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
            ping.connect(address);
            Socket pingPeer = listener.accept().socket();
            bulk = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
            bulk.connect(address);
            Socket bulkPeer = listener.accept().socket();
            echo = UnixBenchPeers.start("jsock-echo", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                try (pingPeer) {
                    while (true) {
                        b.clear();
                        if (pingPeer.recvInto(b) == 0) {
                            return;
                        }
                        b.flip();
                        pingPeer.sendAll(b);
                    }
                }
            });
            drain = UnixBenchPeers.start("jsock-drain", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(BULK);
                try (bulkPeer) {
                    while (true) {
                        b.clear();
                        if (bulkPeer.recvInto(b) == 0) {
                            return;
                        }
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            ping.close();
            bulk.close();
            listener.close();
            echo.join(5000);
            drain.join(5000);
            UnixBenchPeers.delete(dir);
        }
    }

    /** The JDK's AF_UNIX SocketChannel, same shape. */
    @State(Scope.Thread)
    public static class Jdk {
        Path dir;
        ServerSocketChannel listener;
        SocketChannel ping;
        SocketChannel bulk;
        Thread echo;
        Thread drain;
        final ByteBuffer one = ByteBuffer.allocateDirect(1);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(BULK);
        final byte[] array = new byte[BULK];
        final byte[] oneByte = {1};

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("jsock-bench");
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("jdk.sock"));
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
            ping = SocketChannel.open(address);
            SocketChannel pingPeer = listener.accept();
            bulk = SocketChannel.open(address);
            SocketChannel bulkPeer = listener.accept();
            echo = UnixBenchPeers.start("jdk-echo", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                try (pingPeer) {
                    while (true) {
                        b.clear();
                        if (pingPeer.read(b) < 0) {
                            return;
                        }
                        b.flip();
                        while (b.hasRemaining()) {
                            pingPeer.write(b);
                        }
                    }
                }
            });
            drain = UnixBenchPeers.start("jdk-drain", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(BULK);
                try (bulkPeer) {
                    while (true) {
                        b.clear();
                        if (bulkPeer.read(b) < 0) {
                            return;
                        }
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            ping.close();
            bulk.close();
            listener.close();
            echo.join(5000);
            drain.join(5000);
            UnixBenchPeers.delete(dir);
        }
    }

    /** jnr-unixsocket's UnixSocketChannel, same shape: what the provider would cost on it. */
    @State(Scope.Thread)
    public static class Jnr {
        Path dir;
        UnixServerSocketChannel listener;
        UnixSocketChannel ping;
        UnixSocketChannel bulk;
        Thread echo;
        Thread drain;
        final ByteBuffer one = ByteBuffer.allocateDirect(1);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(BULK);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("jsock-bench");
            UnixSocketAddress address = new UnixSocketAddress(dir.resolve("jnr.sock").toFile());
            listener = UnixServerSocketChannel.open();
            listener.socket().bind(address);
            ping = UnixSocketChannel.open(address);
            UnixSocketChannel pingPeer = listener.accept();
            bulk = UnixSocketChannel.open(address);
            UnixSocketChannel bulkPeer = listener.accept();
            echo = UnixBenchPeers.start("jnr-echo", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                try (pingPeer) {
                    while (true) {
                        b.clear();
                        if (pingPeer.read(b) <= 0) {
                            return;
                        }
                        b.flip();
                        while (b.hasRemaining()) {
                            pingPeer.write(b);
                        }
                    }
                }
            });
            drain = UnixBenchPeers.start("jnr-drain", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(BULK);
                try (bulkPeer) {
                    while (true) {
                        b.clear();
                        if (bulkPeer.read(b) <= 0) {
                            return;
                        }
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            // jnr's close does not wake a blocked read: shut the connections down first
            ping.shutdownOutput();
            bulk.shutdownOutput();
            echo.join(5000);
            drain.join(5000);
            ping.close();
            bulk.close();
            listener.close();
            UnixBenchPeers.delete(dir);
        }
    }

    // ---- 1-byte ping-pong -----------------------------------------------------------------

    @Benchmark
    public int pingPongDirect_jsock(Jsock s) throws SocketError {
        s.one.clear();
        s.ping.send(s.one);
        s.one.clear();
        return s.ping.recvInto(s.one);
    }

    @Benchmark
    public int pingPongDirect_raw(Jdk s) throws IOException {
        s.one.clear();
        s.ping.write(s.one);
        s.one.clear();
        return s.ping.read(s.one);
    }

    @Benchmark
    public int pingPongDirect_jnr(Jnr s) throws IOException {
        s.one.clear();
        s.ping.write(s.one);
        s.one.clear();
        return s.ping.read(s.one);
    }

    /** Python's style: {@code send(bytes)} and {@code recv(1)}, a new array per receive. */
    @Benchmark
    public byte[] pingPongBytes_jsock(Jsock s) throws SocketError {
        s.ping.send(s.oneByte);
        return s.ping.recv(1);
    }

    @Benchmark
    public byte[] pingPongBytes_raw(Jdk s) throws IOException {
        s.ping.write(ByteBuffer.wrap(s.oneByte));
        byte[] got = new byte[1];
        s.ping.read(ByteBuffer.wrap(got));
        return got;
    }

    // ---- 64 KiB bulk, direct buffer -------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendDirect_jsock(Jsock s) throws SocketError {
        s.chunk.clear();
        s.bulk.sendAll(s.chunk);
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendDirect_raw(Jdk s) throws IOException {
        s.chunk.clear();
        while (s.chunk.hasRemaining()) {
            s.bulk.write(s.chunk);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendDirect_jnr(Jnr s) throws IOException {
        s.chunk.clear();
        while (s.chunk.hasRemaining()) {
            s.bulk.write(s.chunk);
        }
    }

    // ---- 64 KiB bulk, byte[] --------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendArray_jsock(Jsock s) throws SocketError {
        s.bulk.sendAll(s.array);
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendArray_raw(Jdk s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.array);
        while (b.hasRemaining()) {
            s.bulk.write(b);
        }
    }
}
