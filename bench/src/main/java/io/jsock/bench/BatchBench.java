package io.jsock.bench;

import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.Sockets;
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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One-way UDP over 127.0.0.1 in batches: jsock's {@code sendMany} / {@code recvMany}
 * (sendmmsg(2) / recvmmsg(2), 32 datagrams of 64 bytes a call) against a raw JDK NIO
 * {@link DatagramChannel}, one datagram per call, in the same run, both blocking. The score of
 * every benchmark is <b>datagrams/s</b>. Pairs to compare: {@code X_jsock} with {@code X_raw}.
 *
 * <ul>
 *   <li>{@code through*}: one invocation sends 32 datagrams from one socket to another and
 *       receives all 32 at the other, in the benchmark's thread (loopback queues each datagram
 *       at its receiver within the send): jsock one {@code sendMany} and {@code recvMany(32, 64)}
 *       until 32 came; raw 32 {@code write}s and 32 {@code read}s of a connected channel.</li>
 *   <li>{@code send*}: one invocation sends 32 datagrams to the {@link UdpPeer} sink, which drops
 *       them: jsock one {@code sendMany}, raw 32 {@code write}s.</li>
 * </ul>
 *
 * <pre>java -jar bench/target/benchmarks.jar 'BatchBench' -f 3 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(3)
public class BatchBench {
    static final int BATCH = 32;
    static final int SIZE = 64;

    /** A jsock sender connected to a jsock receiver, and the batch to send. */
    @State(Scope.Thread)
    public static class JsockPair {
        Socket sender;
        Socket receiver;
        final List<Datagram> batch = new ArrayList<>();

        @Setup(Level.Trial)
        public void open() throws Exception {
            receiver = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
            receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sender = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
            sender.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sender.connect(receiver.getSockName());
            receiver.connect(sender.getSockName());
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Datagram(new byte[SIZE], null));
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            sender.close();
            receiver.close();
        }
    }

    /** Two connected raw NIO channels and a direct buffer each. */
    @State(Scope.Thread)
    public static class RawPair {
        DatagramChannel sender;
        DatagramChannel receiver;
        final ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
        final ByteBuffer in = ByteBuffer.allocateDirect(SIZE);

        @Setup(Level.Trial)
        public void open() throws Exception {
            receiver = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sender = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sender.connect(receiver.getLocalAddress());
            receiver.connect(sender.getLocalAddress());
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            sender.close();
            receiver.close();
        }
    }

    /** A jsock socket connected to the sink peer. */
    @State(Scope.Thread)
    public static class JsockSink {
        UdpPeer peer;
        Socket socket;
        final List<Datagram> batch = new ArrayList<>();

        @Setup(Level.Trial)
        public void open() throws Exception {
            peer = new UdpPeer(UdpPeer.Kind.SINK);
            socket = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
            socket.connect(peer.address());
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Datagram(new byte[SIZE], null));
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            socket.close();
            peer.close();
        }
    }

    /** A raw channel connected to the sink peer. */
    @State(Scope.Thread)
    public static class RawSink {
        UdpPeer peer;
        DatagramChannel channel;
        final ByteBuffer out = ByteBuffer.allocateDirect(SIZE);

        @Setup(Level.Trial)
        public void open() throws Exception {
            peer = new UdpPeer(UdpPeer.Kind.SINK);
            channel = DatagramChannel.open();
            channel.connect(peer.address());
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            channel.close();
            peer.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int through_jsock(JsockPair p) throws Exception {
        int sent = 0;
        while (sent < BATCH) {
            sent += p.sender.sendMany(sent == 0 ? p.batch : p.batch.subList(sent, BATCH));
        }
        int got = 0;
        while (got < BATCH) {
            got += p.receiver.recvMany(BATCH - got, SIZE).size();
        }
        return got;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int through_raw(RawPair p) throws Exception {
        for (int i = 0; i < BATCH; i++) {
            p.sender.write(p.out.clear());
        }
        int got = 0;
        for (int i = 0; i < BATCH; i++) {
            got += p.receiver.read(p.in.clear());
        }
        return got;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int send_jsock(JsockSink s) throws Exception {
        int sent = 0;
        while (sent < BATCH) {
            sent += s.socket.sendMany(sent == 0 ? s.batch : s.batch.subList(sent, BATCH));
        }
        return sent;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int send_raw(RawSink s) throws Exception {
        int sent = 0;
        for (int i = 0; i < BATCH; i++) {
            sent += s.channel.write(s.out.clear());
        }
        return sent;
    }
}
