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
 * 64 KiB bulk sends. Every channel is in blocking mode.
 *
 * <pre>java -jar bench/target/benchmarks.jar 'UnixStreamBench'</pre>
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
    public int pingPongJsock(Jsock s) throws SocketError {
        s.one.clear();
        s.ping.sendAll(s.one);
        s.one.clear();
        return s.ping.recvInto(s.one);
    }

    @Benchmark
    public int pingPongJdk(Jdk s) throws IOException {
        s.one.clear();
        s.ping.write(s.one);
        s.one.clear();
        return s.ping.read(s.one);
    }

    @Benchmark
    public int pingPongJnr(Jnr s) throws IOException {
        s.one.clear();
        s.ping.write(s.one);
        s.one.clear();
        return s.ping.read(s.one);
    }

    /** Python's style: {@code send(bytes)} and {@code recv(1)}, a new array per receive. */
    @Benchmark
    public byte[] pingPongArrayJsock(Jsock s) throws SocketError {
        s.ping.send(s.oneByte);
        return s.ping.recv(1);
    }

    @Benchmark
    public byte[] pingPongArrayJdk(Jdk s) throws IOException {
        s.ping.write(ByteBuffer.wrap(s.oneByte));
        byte[] got = new byte[1];
        s.ping.read(ByteBuffer.wrap(got));
        return got;
    }

    // ---- 64 KiB bulk, direct buffer -------------------------------------------------------

    @Benchmark
    public void bulkDirectJsock(Jsock s) throws SocketError {
        s.chunk.clear();
        s.bulk.sendAll(s.chunk);
    }

    @Benchmark
    public void bulkDirectJdk(Jdk s) throws IOException {
        s.chunk.clear();
        while (s.chunk.hasRemaining()) {
            s.bulk.write(s.chunk);
        }
    }

    @Benchmark
    public void bulkDirectJnr(Jnr s) throws IOException {
        s.chunk.clear();
        while (s.chunk.hasRemaining()) {
            s.bulk.write(s.chunk);
        }
    }

    // ---- 64 KiB bulk, byte[] --------------------------------------------------------------

    @Benchmark
    public void bulkArrayJsock(Jsock s) throws SocketError {
        s.bulk.sendAll(s.array);
    }

    @Benchmark
    public void bulkArrayJdk(Jdk s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.array);
        while (b.hasRemaining()) {
            s.bulk.write(b);
        }
    }
}
