package io.jsock.bench;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
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
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * AF_UNIX SOCK_DGRAM ping-pong of 1-byte datagrams between two socket files: jsock with
 * sendTo/recvFrom, jsock connected (send/recv), and jnr-unixsocket's UnixDatagramChannel. The JDK
 * has no AF_UNIX datagram channel, so jnr is the only outside baseline.
 *
 * <pre>java -jar bench/target/benchmarks.jar 'UnixDatagramBench'</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnixDatagramBench {
    static final int SIZE = 1;

    /** Two jsock datagram sockets on paths; the echo answers each datagram to its sender. */
    @State(Scope.Thread)
    public static class Jsock {
        Path dir;
        Socket client;
        Socket connected;
        Socket echoSocket;
        UnixAddress server;
        Thread echo;
        final ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("jsock-bench");
            server = UnixAddress.of(dir.resolve("echo.dgram"));
            echoSocket = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
            echoSocket.bind(server);
            client = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
            client.bind(UnixAddress.of(dir.resolve("client.dgram")));
            connected = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM);
            connected.bind(UnixAddress.of(dir.resolve("connected.dgram")));
            connected.connect(server);
            Socket e = echoSocket;
            echo = UnixBenchPeers.start("jsock-dgram-echo", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(SIZE);
                while (true) {
                    b.clear();
                    SocketAddress from = e.recvFromInto(b);
                    b.flip();
                    e.sendTo(b, from);
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            echoSocket.close();
            echo.join(5000);
            client.close();
            connected.close();
            UnixBenchPeers.delete(dir);
        }
    }

    /** jnr-unixsocket's datagram channel, same shape. */
    @State(Scope.Thread)
    public static class Jnr {
        Path dir;
        UnixDatagramChannel client;
        UnixDatagramChannel echoChannel;
        UnixSocketAddress server;
        Thread echo;
        final ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("jsock-bench");
            server = new UnixSocketAddress(dir.resolve("echo.dgram").toFile());
            echoChannel = UnixDatagramChannel.open();
            echoChannel.bind(server);
            client = UnixDatagramChannel.open();
            client.bind(new UnixSocketAddress(dir.resolve("client.dgram").toFile()));
            UnixDatagramChannel e = echoChannel;
            echo = UnixBenchPeers.start("jnr-dgram-echo", () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(SIZE);
                while (true) {
                    b.clear();
                    SocketAddress from = e.receive(b);
                    if (b.position() == 0) {
                        return; // the empty datagram of tear-down: jnr's close would not wake this receive
                    }
                    b.flip();
                    e.send(b, from);
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            client.send(ByteBuffer.allocate(0), server);
            echo.join(5000);
            echoChannel.close();
            client.close();
            UnixBenchPeers.delete(dir);
        }
    }

    @Benchmark
    public int pingPongSendTo_jsock(Jsock s) throws SocketError {
        s.buf.clear();
        s.client.sendTo(s.buf, s.server);
        s.buf.clear();
        return s.client.recvInto(s.buf);
    }

    @Benchmark
    public int pingPongConnected_jsock(Jsock s) throws SocketError {
        s.buf.clear();
        s.connected.send(s.buf);
        s.buf.clear();
        return s.connected.recvInto(s.buf);
    }

    @Benchmark
    public int pingPongSendTo_jnr(Jnr s) throws IOException {
        s.buf.clear();
        s.client.send(s.buf, s.server);
        s.buf.clear();
        s.client.receive(s.buf);
        return s.buf.position();
    }
}
