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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A 256 MiB file (written in {@code @Setup}, so it is in the page cache) sent over a connection
 * to a raw NIO peer that drains it, over TCP on 127.0.0.1 and over AF_UNIX ({@code family}).
 * One invocation sends the whole file; the score is <b>files/s</b> (times 256 MiB: bytes/s).
 * Pairs to compare: {@code sendFile_jsock} (sendfile(2) from the path) with
 * {@code readSendLoop_raw}, the JDK way without transferTo: {@code FileChannel.read} into a
 * 64 KiB direct buffer and {@code SocketChannel.write} of it, until the end. Also measured:
 * {@code sendFileChannel_jsock}, jsock's {@code sendFile(FileChannel)}, which reads and sends
 * through a buffer because the JDK keeps a channel's descriptor private.
 *
 * <pre>java -jar bench/target/benchmarks.jar 'SendFileBench' -f 3 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(3)
@State(Scope.Thread)
public class SendFileBench {
    static final int FILE_SIZE = 256 << 20;
    static final int BUFFER = 64 * 1024;

    @Param({"AF_INET", "AF_UNIX"})
    public String family;

    Path dir;
    Path file;
    FileChannel channel;
    ServerSocketChannel listener;
    SocketChannel peer;
    Socket jsock;
    SocketChannel raw;
    final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("jsock-sendfile-bench");
        file = dir.resolve("file");
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < FILE_SIZE / block.length; i++) {
                out.write(ByteBuffer.wrap(block));
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.READ);
        boolean unix = family.equals("AF_UNIX");
        if (unix) {
            Path name = dir.resolve("peer.sock");
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(name));
            jsock = Sockets.socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
            jsock.connect(UnixAddress.of(name));
            SocketChannel jsockPeer = listener.accept();
            raw = SocketChannel.open(UnixDomainSocketAddress.of(name));
            peer = listener.accept();
            startDrain(UnixBenchPeers.PREFIX + "drain", jsockPeer, peer);
        } else {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            jsock = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
            jsock.connect(listener.getLocalAddress());
            SocketChannel jsockPeer = listener.accept();
            raw = SocketChannel.open(listener.getLocalAddress());
            peer = listener.accept();
            startDrain("tcp-peer-drain", jsockPeer, peer);
        }
    }

    /**
     * One daemon thread per connection that reads and drops everything until its channel closes,
     * named as {@link ThreadCpuProfiler} counts a peer.
     */
    private static void startDrain(String name, SocketChannel... channels) {
        for (SocketChannel c : channels) {
            Thread t = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(256 * 1024);
                try (SocketChannel ch = c) {
                    while (ch.read(b.clear()) >= 0) {
                        // drained
                    }
                } catch (java.io.IOException closedByTearDown) {
                    // the benchmark is over
                }
            }, name);
            t.setDaemon(true);
            t.start();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        jsock.close();
        raw.close();
        peer.close();
        listener.close();
        channel.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve("peer.sock"));
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long sendFile_jsock() throws Exception {
        return jsock.sendFile(file, 0, 0);
    }

    @Benchmark
    public long sendFileChannel_jsock() throws Exception {
        return jsock.sendFile(channel, 0, 0);
    }

    @Benchmark
    public long readSendLoop_raw() throws Exception {
        long total = 0;
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, total);
            if (n < 0) {
                return total;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                raw.write(buffer);
            }
            total += n;
        }
    }
}
