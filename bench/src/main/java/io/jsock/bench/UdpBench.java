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
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * UDP over 127.0.0.1: jsock's datagram provider (through {@link Sockets}) against a raw JDK NIO
 * {@link DatagramChannel}, in the same run, both in blocking mode, both talking to the same raw NIO
 * {@link UdpPeer}. Pairs to compare: {@code X_jsock} with {@code X_raw}. Every datagram is 1 byte,
 * but those of {@code bulk*}, which are the largest an IPv4 UDP datagram can be (65,507 bytes).
 *
 * <ul>
 *   <li>{@code pingPong*}: one invocation is one round trip to the echo peer; the score is
 *       <b>round trips/s</b>. {@code Direct}: a connected socket, {@code send(ByteBuffer)} and
 *       {@code recvInto(ByteBuffer)} with direct buffers (raw: {@code write} / {@code read});
 *       {@code Bytes}: connected, Python's style, {@code send(byte[])} and {@code recv(64)}, a new
 *       array per call (raw: {@code write(wrap(array))} / {@code read(wrap(new byte[64]))});
 *       {@code SendTo}: unconnected, {@code sendTo(byte[], address)} and {@code recvFrom(64)},
 *       a new array and sender per call (raw: {@code send(wrap(array), address)} /
 *       {@code receive(wrap(new byte[64]))}).</li>
 *   <li>{@code oneWay*}: one invocation sends one datagram to the sink peer; the score is
 *       <b>datagrams/s</b> sent. {@code Direct}: connected {@code send(ByteBuffer)}, direct;
 *       {@code SendTo}: unconnected {@code sendTo(byte[], address)}.</li>
 *   <li>{@code bulkSend*}: one invocation sends one 65,507-byte datagram to the sink peer on a
 *       connected socket; the score counts bytes, so it reads as <b>bytes/s</b>. {@code Direct}:
 *       {@code send(ByteBuffer)} from a direct buffer (raw: {@code write}); {@code Array}:
 *       {@code send(byte[])} (raw: {@code write(wrap(array))}).</li>
 * </ul>
 *
 * <pre>java -jar bench/target/benchmarks.jar 'UdpBench' -f 2 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class UdpBench {
    static final int SIZE = 1;
    /** The largest IPv4 UDP payload: 65,535 less the 20-byte IP and 8-byte UDP headers. */
    static final int BULK = 65_507;

    /** What both clients hold: the peer, its address, and 64-byte buffers. */
    public abstract static class Client {
        UdpPeer peer;
        InetSocketAddress to;
        final ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
        final ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
        final byte[] payload = new byte[SIZE];
        final ByteBuffer bulkDirect = ByteBuffer.allocateDirect(BULK);
        final byte[] bulkArray = new byte[BULK];

        void openPeer(UdpPeer.Kind kind) throws Exception {
            peer = new UdpPeer(kind);
            to = peer.address();
            Arrays.fill(payload, (byte) 'u');
            while (out.hasRemaining()) {
                out.put((byte) 'u');
            }
        }
    }

    /** A jsock UDP socket from {@code Sockets.socket(AF_INET, SOCK_DGRAM)}, bound to 127.0.0.1. */
    public abstract static class JsockClient extends Client {
        Socket socket;

        void open(UdpPeer.Kind kind, boolean connect) throws Exception {
            openPeer(kind);
            socket = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            if (connect) {
                socket.connect(to);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            socket.close();
            peer.close();
        }
    }

    /** A raw NIO {@code DatagramChannel}, same shape. */
    public abstract static class RawClient extends Client {
        DatagramChannel channel;

        void open(UdpPeer.Kind kind, boolean connect) throws Exception {
            openPeer(kind);
            channel = DatagramChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            if (connect) {
                channel.connect(to);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            channel.close();
            peer.close();
        }
    }

    @State(Scope.Thread)
    public static class JsockConnectedEcho extends JsockClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.ECHO, true);
        }
    }

    @State(Scope.Thread)
    public static class RawConnectedEcho extends RawClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.ECHO, true);
        }
    }

    @State(Scope.Thread)
    public static class JsockEcho extends JsockClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.ECHO, false);
        }
    }

    @State(Scope.Thread)
    public static class RawEcho extends RawClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.ECHO, false);
        }
    }

    @State(Scope.Thread)
    public static class JsockConnectedSink extends JsockClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.SINK, true);
        }
    }

    @State(Scope.Thread)
    public static class RawConnectedSink extends RawClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.SINK, true);
        }
    }

    @State(Scope.Thread)
    public static class JsockSink extends JsockClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.SINK, false);
        }
    }

    @State(Scope.Thread)
    public static class RawSink extends RawClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(UdpPeer.Kind.SINK, false);
        }
    }

    // ---- ping-pong: round trips/s ----------------------------------------------------------

    @Benchmark
    public int pingPongDirect_jsock(JsockConnectedEcho c) throws Exception {
        c.out.clear();
        c.socket.send(c.out);
        c.in.clear();
        return c.socket.recvInto(c.in);
    }

    @Benchmark
    public int pingPongDirect_raw(RawConnectedEcho c) throws Exception {
        c.out.clear();
        c.channel.write(c.out);
        c.in.clear();
        return c.channel.read(c.in);
    }

    @Benchmark
    public byte[] pingPongBytes_jsock(JsockConnectedEcho c) throws Exception {
        c.socket.send(c.payload);
        return c.socket.recv(SIZE);
    }

    @Benchmark
    public byte[] pingPongBytes_raw(RawConnectedEcho c) throws Exception {
        c.channel.write(ByteBuffer.wrap(c.payload));
        byte[] got = new byte[SIZE];
        c.channel.read(ByteBuffer.wrap(got));
        return got;
    }

    @Benchmark
    public Datagram pingPongSendTo_jsock(JsockEcho c) throws Exception {
        c.socket.sendTo(c.payload, c.to);
        return c.socket.recvFrom(SIZE);
    }

    @Benchmark
    public Datagram pingPongSendTo_raw(RawEcho c) throws Exception {
        c.channel.send(ByteBuffer.wrap(c.payload), c.to);
        byte[] got = new byte[SIZE];
        ByteBuffer buf = ByteBuffer.wrap(got);
        SocketAddress from = c.channel.receive(buf);
        // what Python's recvfrom returns, as jsock's Datagram does: the bytes received and the sender
        return new Datagram(buf.position() == SIZE ? got : Arrays.copyOf(got, buf.position()), from);
    }

    // ---- one way: datagrams/s --------------------------------------------------------------

    @Benchmark
    public int oneWayDirect_jsock(JsockConnectedSink c) throws Exception {
        c.out.clear();
        return c.socket.send(c.out);
    }

    @Benchmark
    public int oneWayDirect_raw(RawConnectedSink c) throws Exception {
        c.out.clear();
        return c.channel.write(c.out);
    }

    @Benchmark
    public int oneWaySendTo_jsock(JsockSink c) throws Exception {
        return c.socket.sendTo(c.payload, c.to);
    }

    @Benchmark
    public int oneWaySendTo_raw(RawSink c) throws Exception {
        return c.channel.send(ByteBuffer.wrap(c.payload), c.to);
    }

    // ---- bulk, one 65,507-byte datagram: bytes/s -------------------------------------------

    @Benchmark
    @OperationsPerInvocation(BULK)
    public int bulkSendDirect_jsock(JsockConnectedSink c) throws Exception {
        return c.socket.send(c.bulkDirect.clear());
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public int bulkSendDirect_raw(RawConnectedSink c) throws Exception {
        return c.channel.write(c.bulkDirect.clear());
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public int bulkSendArray_jsock(JsockConnectedSink c) throws Exception {
        return c.socket.send(c.bulkArray);
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public int bulkSendArray_raw(RawConnectedSink c) throws Exception {
        return c.channel.write(ByteBuffer.wrap(c.bulkArray));
    }
}
