package io.jsock.bench;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.core.NativeSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * jsock's two system-call backends against each other: {@code backend=ffm} (the FFM API, JDK 22+)
 * and {@code backend=jffi}, one per fork, set as {@code -Djsock.backend} before the fork opens its
 * first socket (and checked). Both ends of every connection are jsock sockets on that backend, in
 * blocking mode: the benchmark thread, and a peer thread that echoes (ping-pong) or drains (bulk).
 *
 * <ul>
 *   <li>{@code pingPong*}: one 1-byte round trip ({@code send(ByteBuffer)} + {@code recvInto}, direct
 *       buffers; TCP_NODELAY on TCP); score in <b>round trips/s</b>.</li>
 *   <li>{@code bulk*}: one 64 KiB {@code sendAll(ByteBuffer)} of a direct buffer to a draining peer;
 *       {@code @OperationsPerInvocation(65536)}, so the score is <b>bytes/s</b>.</li>
 *   <li>{@code getsockopt}: {@code getOption(SO_RCVBUF)} on an AF_UNIX socket, a call that never
 *       waits in the kernel: what one system call costs through each backend, with the least noise.</li>
 * </ul>
 * TCP is over 127.0.0.1; AF_UNIX is a socketpair(2). Needs JDK 22+ (for {@code ffm}); add
 * {@code -prof io.jsock.bench.ThreadCpuProfiler} for the client thread's CPU per operation.
 *
 * <pre>java -jar bench/target/benchmarks.jar BackendBench -f 3</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BackendBench {
    static final int BULK = 64 * 1024;

    /** Sets {@code jsock.backend} before any socket exists in this fork, and checks the backend took it. */
    @State(Scope.Benchmark)
    public static class Backend {
        @Param({"jffi", "ffm"})
        public String backend;

        @Setup(Level.Trial)
        public void choose() throws SocketError {
            System.setProperty("jsock.backend", backend);
            String inUse = NativeSocket.backend();
            if (!inUse.equals(backend)) {
                try (SocketPair why = Sockets.socketPair()) {
                    throw new IllegalStateException("-Djsock.backend=" + backend + " but jsock calls through " + inUse);
                }
            }
        }
    }

    /** One connection over {@code transport}, and the peer thread at its other end that echoes or drains. */
    public abstract static class Connection {
        private final boolean tcp;
        private final boolean echo;
        Socket socket;
        Thread peer;
        final ByteBuffer one = ByteBuffer.allocateDirect(1);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(BULK);

        Connection(boolean tcp, boolean echo) {
            this.tcp = tcp;
            this.echo = echo;
        }

        @Setup(Level.Trial)
        public void open(Backend backend) throws Exception {
            Socket[] ends = tcp ? tcp() : unix();
            socket = ends[0];
            Socket other = ends[1];
            // "tcp-peer-": ThreadCpuProfiler's cpu.peer counts the TCP peers
            peer = UnixBenchPeers.start((tcp ? "tcp-peer-" : "unix-peer-") + (echo ? "echo" : "drain"), () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(echo ? 1 : BULK);
                try (other) {
                    while (true) {
                        b.clear();
                        if (other.recvInto(b) == 0) {
                            return;
                        }
                        if (echo) {
                            b.flip();
                            other.sendAll(b);
                        }
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            socket.close();
            peer.join(5000);
        }
    }

    /** Both ends of a TCP connection over 127.0.0.1, TCP_NODELAY on each. */
    static Socket[] tcp() throws Exception {
        try (Socket listener = Sockets.createServer(new InetSocketAddress("127.0.0.1", 0))) {
            Socket client = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
            client.connect(listener.getSockName());
            Socket server = listener.accept().socket();
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new Socket[] {client, server};
        }
    }

    /** Both ends of an AF_UNIX SOCK_STREAM socketpair. */
    static Socket[] unix() throws Exception {
        SocketPair pair = Sockets.socketPair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
        return new Socket[] {pair.first(), pair.second()};
    }

    @State(Scope.Thread)
    public static class TcpEcho extends Connection {
        public TcpEcho() {
            super(true, true);
        }
    }

    @State(Scope.Thread)
    public static class TcpDrain extends Connection {
        public TcpDrain() {
            super(true, false);
        }
    }

    @State(Scope.Thread)
    public static class UnixEcho extends Connection {
        public UnixEcho() {
            super(false, true);
        }
    }

    @State(Scope.Thread)
    public static class UnixDrain extends Connection {
        public UnixDrain() {
            super(false, false);
        }
    }

    private static int pingPong(Connection c) throws Exception {
        c.one.clear();
        c.socket.send(c.one);
        c.one.clear();
        return c.socket.recvInto(c.one);
    }

    private static int bulk(Connection c) throws Exception {
        c.chunk.clear();
        c.socket.sendAll(c.chunk);
        return c.chunk.position();
    }

    @Benchmark
    public int pingPongTcp(TcpEcho c) throws Exception {
        return pingPong(c);
    }

    @Benchmark
    public int pingPongUnix(UnixEcho c) throws Exception {
        return pingPong(c);
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public int bulkTcp(TcpDrain c) throws Exception {
        return bulk(c);
    }

    @Benchmark
    @OperationsPerInvocation(BULK)
    public int bulkUnix(UnixDrain c) throws Exception {
        return bulk(c);
    }

    @Benchmark
    public int getsockopt(UnixEcho c) throws Exception {
        return c.socket.getOption(StandardSocketOptions.SO_RCVBUF);
    }
}
