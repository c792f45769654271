package io.jsock.bench;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What one send and one receive cost, with no other thread and no wake-up: one thread sends 1
 * byte on one end of a connection and receives it on the other end, so the score is the system
 * calls' own cost plus what the library adds around them, free of the scheduling that makes
 * ping-pong bimodal. Both ends are the implementation measured: two jsock sockets, or two JDK
 * channels. {@code family}: {@code tcp} (127.0.0.1, TCP_NODELAY), {@code udp} (two connected
 * datagram sockets on 127.0.0.1), {@code unix} (AF_UNIX stream over a socket file).
 *
 * <ul>
 *   <li>{@code sendRecvDirect}: {@code send(ByteBuffer)} + {@code recvInto(ByteBuffer)}, 1-byte
 *       direct buffers (raw: {@code write} + {@code read}).</li>
 *   <li>{@code sendRecvBytes}: {@code send(byte[])} + {@code recv(1)} (raw: {@code write(wrap(array))}
 *       + {@code read(wrap(new byte[1]))}).</li>
 * </ul>
 *
 * <pre>taskset -c 1 java -jar bench/target/benchmarks.jar 'CallCostBench' -f 3 -prof gc</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class CallCostBench {

    /** Two connected jsock sockets of the family. */
    @State(Scope.Thread)
    public static class Jsock {
        @Param({"tcp", "udp", "unix"})
        String family;
        Socket a;
        Socket b;
        Path dir;
        final ByteBuffer out = ByteBuffer.allocateDirect(1);
        final ByteBuffer in = ByteBuffer.allocateDirect(1);
        final byte[] oneByte = {7};

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            switch (family) {
                case "tcp" -> {
                    try (Socket listener = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM)) {
                        listener.bind(loopback);
                        listener.listen(1);
                        a = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
                        a.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        a.connect(listener.getSockName());
                        b = listener.accept().socket();
                    }
                }
                case "udp" -> {
                    a = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
                    b = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
                    a.bind(loopback);
                    b.bind(loopback);
                    a.connect(b.getSockName());
                    b.connect(a.getSockName());
                }
                case "unix" -> {
                    dir = Files.createTempDirectory("jsock-bench");
                    UnixAddress address = UnixAddress.of(dir.resolve("cost.sock"));
                    try (Socket listener = Sockets.createServer(address)) {
                        a = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
                        a.connect(address);
                        b = listener.accept().socket();
                    }
                }
                default -> throw new IllegalArgumentException(family);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            a.close();
            b.close();
            if (dir != null) {
                UnixBenchPeers.delete(dir);
            }
        }
    }

    /** Two connected JDK channels of the family, same shape. */
    @State(Scope.Thread)
    public static class Raw {
        @Param({"tcp", "udp", "unix"})
        String family;
        ByteChannel a;
        ByteChannel b;
        Path dir;
        final ByteBuffer out = ByteBuffer.allocateDirect(1);
        final ByteBuffer in = ByteBuffer.allocateDirect(1);
        final byte[] oneByte = {7};

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            switch (family) {
                case "tcp" -> {
                    try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback, 1)) {
                        SocketChannel c = SocketChannel.open();
                        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        c.connect(listener.getLocalAddress());
                        a = c;
                        b = listener.accept();
                    }
                }
                case "udp" -> {
                    DatagramChannel x = DatagramChannel.open().bind(loopback);
                    DatagramChannel y = DatagramChannel.open().bind(loopback);
                    x.connect(y.getLocalAddress());
                    y.connect(x.getLocalAddress());
                    a = x;
                    b = y;
                }
                case "unix" -> {
                    dir = Files.createTempDirectory("jsock-bench");
                    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("cost.sock"));
                    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address)) {
                        a = SocketChannel.open(address);
                        b = listener.accept();
                    }
                }
                default -> throw new IllegalArgumentException(family);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            a.close();
            b.close();
            if (dir != null) {
                UnixBenchPeers.delete(dir);
            }
        }
    }

    @Benchmark
    public int sendRecvDirect_jsock(Jsock s) throws Exception {
        s.a.send(s.out.clear());
        if (s.b.recvInto(s.in.clear()) != 1) {
            throw new EOFException("nothing received");
        }
        return s.in.get(0);
    }

    @Benchmark
    public int sendRecvDirect_raw(Raw s) throws Exception {
        s.a.write(s.out.clear());
        if (s.b.read(s.in.clear()) != 1) {
            throw new EOFException("nothing received");
        }
        return s.in.get(0);
    }

    @Benchmark
    public byte[] sendRecvBytes_jsock(Jsock s) throws Exception {
        s.a.send(s.oneByte);
        byte[] got = s.b.recv(1);
        if (got.length != 1) {
            throw new EOFException("nothing received");
        }
        return got;
    }

    @Benchmark
    public byte[] sendRecvBytes_raw(Raw s) throws Exception {
        s.a.write(ByteBuffer.wrap(s.oneByte));
        byte[] got = new byte[1];
        if (s.b.read(ByteBuffer.wrap(got)) != 1) {
            throw new EOFException("nothing received");
        }
        return got;
    }
}
