package io.jsock.bench;

import io.jsock.AddressFamily;
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

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * TCP over 127.0.0.1: jsock's inet provider (through {@link Sockets}) against a raw JDK NIO
 * {@link SocketChannel}, in the same run, both in blocking mode, both talking to the same raw NIO
 * {@link TcpPeer}. Pairs to compare: {@code X_jsock} with {@code X_raw}.
 *
 * <ul>
 *   <li>{@code bulkSend*} / {@code bulkRecv*}: one invocation moves 64 KiB to a draining peer
 *       (or from a filling one); the score counts bytes, so it reads as <b>bytes/s</b>.
 *       {@code Direct}: a 64 KiB direct buffer ({@code sendAll(ByteBuffer)} / {@code recvInto});
 *       {@code Array}: a 64 KiB {@code byte[]} ({@code sendAll(byte[])} /
 *       {@code recvInto(ByteBuffer.wrap(array))}, the raw side wraps the same way).</li>
 *   <li>{@code pingPong*}: one invocation is one 1-byte round trip with TCP_NODELAY on both ends;
 *       the score is <b>round trips/s</b>. {@code Direct}: a 1-byte direct buffer each way;
 *       {@code Bytes}: Python's style, {@code send(byte[])} and {@code recv(1)} (a new array per
 *       call), against a raw channel that wraps and allocates the same.</li>
 * </ul>
 *
 * <pre>java -jar bench/target/benchmarks.jar 'TcpStreamBench' -f 2 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class TcpStreamBench {
    static final int BULK = TcpPeer.CHUNK;

    /** A jsock client connected to a raw NIO peer of the kind the subclass names. */
    public abstract static class JsockClient {
        TcpPeer peer;
        Socket socket;
        final ByteBuffer direct = ByteBuffer.allocateDirect(BULK);
        final byte[] array = new byte[BULK];
        final ByteBuffer one = ByteBuffer.allocateDirect(1);
        final byte[] oneByte = {42};

        void open(TcpPeer.Kind kind, boolean noDelay) throws Exception {
            peer = new TcpPeer(kind, noDelay);
            socket = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
            socket.connect(peer.address());
            peer.start();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            socket.close();
            peer.close();
        }
    }

    /** A raw NIO client, same shape. */
    public abstract static class RawClient {
        TcpPeer peer;
        SocketChannel channel;
        final ByteBuffer direct = ByteBuffer.allocateDirect(BULK);
        final byte[] array = new byte[BULK];
        final ByteBuffer one = ByteBuffer.allocateDirect(1);
        final byte[] oneByte = {42};

        void open(TcpPeer.Kind kind, boolean noDelay) throws Exception {
            peer = new TcpPeer(kind, noDelay);
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
            channel.connect(peer.address());
            peer.start();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            channel.close();
            peer.close();
        }
    }

    @State(Scope.Thread)
    public static class JsockToSink extends JsockClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(TcpPeer.Kind.SINK, false);
        }
    }

    @State(Scope.Thread)
    public static class RawToSink extends RawClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(TcpPeer.Kind.SINK, false);
        }
    }

    @State(Scope.Thread)
    public static class JsockFromSource extends JsockClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(TcpPeer.Kind.SOURCE, false);
        }
    }

    @State(Scope.Thread)
    public static class RawFromSource extends RawClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(TcpPeer.Kind.SOURCE, false);
        }
    }

    @State(Scope.Thread)
    public static class JsockToEcho extends JsockClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(TcpPeer.Kind.ECHO, true);
        }
    }

    @State(Scope.Thread)
    public static class RawToEcho extends RawClient {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open(TcpPeer.Kind.ECHO, true);
        }
    }

    // ---- bulk, 64 KiB direct buffer --------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendDirect_jsock(JsockToSink s) throws Exception {
        s.socket.sendAll(s.direct.clear());
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendDirect_raw(RawToSink s) throws Exception {
        ByteBuffer b = s.direct.clear();
        while (b.hasRemaining()) {
            s.channel.write(b);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkRecvDirect_jsock(JsockFromSource s) throws Exception {
        ByteBuffer b = s.direct.clear();
        while (b.hasRemaining()) {
            if (s.socket.recvInto(b) == 0) {
                throw new EOFException("the source ended");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkRecvDirect_raw(RawFromSource s) throws Exception {
        ByteBuffer b = s.direct.clear();
        while (b.hasRemaining()) {
            if (s.channel.read(b) < 0) {
                throw new EOFException("the source ended");
            }
        }
    }

    // ---- bulk, 64 KiB byte[] ----------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendArray_jsock(JsockToSink s) throws Exception {
        s.socket.sendAll(s.array);
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkSendArray_raw(RawToSink s) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(s.array);
        while (b.hasRemaining()) {
            s.channel.write(b);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkRecvArray_jsock(JsockFromSource s) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(s.array);
        while (b.hasRemaining()) {
            if (s.socket.recvInto(b) == 0) {
                throw new EOFException("the source ended");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public void bulkRecvArray_raw(RawFromSource s) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(s.array);
        while (b.hasRemaining()) {
            if (s.channel.read(b) < 0) {
                throw new EOFException("the source ended");
            }
        }
    }

    // ---- 1-byte ping-pong, TCP_NODELAY ------------------------------------------------------

    @Benchmark
    public int pingPongDirect_jsock(JsockToEcho s) throws Exception {
        s.socket.send(s.one.clear());
        int n = s.socket.recvInto(s.one.clear());
        if (n != 1) {
            throw new EOFException("the echo ended");
        }
        return n;
    }

    @Benchmark
    public int pingPongDirect_raw(RawToEcho s) throws Exception {
        s.channel.write(s.one.clear());
        int n = s.channel.read(s.one.clear());
        if (n != 1) {
            throw new EOFException("the echo ended");
        }
        return n;
    }

    @Benchmark
    public byte[] pingPongBytes_jsock(JsockToEcho s) throws Exception {
        s.socket.send(s.oneByte);
        byte[] got = s.socket.recv(1);
        if (got.length != 1) {
            throw new EOFException("the echo ended");
        }
        return got;
    }

    @Benchmark
    public byte[] pingPongBytes_raw(RawToEcho s) throws Exception {
        s.channel.write(ByteBuffer.wrap(s.oneByte));
        byte[] got = new byte[1];
        if (s.channel.read(ByteBuffer.wrap(got)) != 1) {
            throw new EOFException("the echo ended");
        }
        return got;
    }
}
