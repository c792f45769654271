package io.jsock.bench;

import io.jsock.AddressFamily;
import io.jsock.Socket;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
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

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TCP bulk over 127.0.0.1 of eight 8 KiB pieces (64 KiB an operation, to the same raw NIO sink
 * {@link TcpPeer}), sent four ways in the same run; the score is <b>operations/s</b>, each 64 KiB:
 *
 * <ul>
 *   <li>{@code sendAllList_jsock}: jsock's {@code sendAll(List)} of the eight direct buffers,
 *       gathered into one sendmsg(2) (more when the socket buffer is full);</li>
 *   <li>{@code oneByOne_jsock}: jsock's {@code sendAll(ByteBuffer)} eight times, a system call each;</li>
 *   <li>{@code gather_netty}: Netty 4.2's epoll transport writing the eight direct {@code ByteBuf}s
 *       and flushing, which gathers them with writev(2) on its event loop; an invocation hands
 *       {@value #NETTY_ROUNDS} rounds to the event loop at once and waits for the last, so the
 *       hand-over between threads is spread over them as an application that writes from its
 *       event loop would not pay it at all;</li>
 *   <li>{@code gather_raw}: the JDK's {@code SocketChannel.write(ByteBuffer[])} (writev), for reference.</li>
 * </ul>
 *
 * <p>Every sender has TCP_NODELAY on, as Netty's channels have by default, so all four put the same
 * segments on the wire (with Nagle on, the kernel would join the one-by-one pieces itself).
 *
 * <p>With {@code -prof io.jsock.bench.ThreadCpuProfiler}, {@code cpu.worker} is the sending side's CPU
 * per operation: the JMH thread's, and for Netty its event loop's too (its thread is named so).
 *
 * <pre>java -jar bench/target/benchmarks.jar 'GatherBench' -f 3 -wi 2 -i 3 -w 1s -r 1s -prof io.jsock.bench.ThreadCpuProfiler</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(3)
public class GatherBench {
    static final int PIECES = 8;
    static final int PIECE = 8 * 1024;
    static final int NETTY_ROUNDS = 16;

    static ByteBuffer[] pieces() {
        ByteBuffer[] b = new ByteBuffer[PIECES];
        for (int i = 0; i < PIECES; i++) {
            b[i] = ByteBuffer.allocateDirect(PIECE);
            for (int k = 0; k < PIECE; k++) {
                b[i].put(k, (byte) (i + k));
            }
        }
        return b;
    }

    @State(Scope.Thread)
    public static class Jsock {
        TcpPeer peer;
        Socket socket;
        final ByteBuffer[] pieces = pieces();
        final List<ByteBuffer> list = List.of(pieces);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            peer = new TcpPeer(TcpPeer.Kind.SINK, true);
            socket = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
            socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            socket.connect(peer.address());
            peer.start();
        }

        void rewind() {
            for (ByteBuffer b : pieces) {
                b.clear();
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            socket.close();
            peer.close();
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        TcpPeer peer;
        SocketChannel channel;
        final ByteBuffer[] pieces = pieces();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            peer = new TcpPeer(TcpPeer.Kind.SINK, true);
            channel = SocketChannel.open();
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
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
    public static class Netty {
        TcpPeer peer;
        EventLoopGroup group;
        Channel channel;
        final ByteBuf[] pieces = new ByteBuf[PIECES];

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            peer = new TcpPeer(TcpPeer.Kind.SINK, true);
            // named so that ThreadCpuProfiler counts the event loop, where Netty's writes run, as the sender's CPU
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jmh-worker-netty-loop", true),
                    EpollIoHandler.newFactory());
            channel = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new io.netty.channel.WriteBufferWaterMark(1 << 20, 1 << 22))
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(peer.address()).sync().channel();
            peer.start();
            ByteBuffer[] nio = pieces();
            for (int i = 0; i < PIECES; i++) {
                pieces[i] = Unpooled.wrappedBuffer(nio[i]);
            }
        }

        /** Eight pieces written and flushed, {@link #NETTY_ROUNDS} times, on the event loop; the last write's future. */
        ChannelFuture rounds() throws Exception {
            return channel.eventLoop().submit(() -> {
                ChannelFuture last = null;
                for (int r = 0; r < NETTY_ROUNDS; r++) {
                    for (int i = 0; i < PIECES - 1; i++) {
                        channel.write(pieces[i].retainedDuplicate(), channel.voidPromise());
                    }
                    last = channel.writeAndFlush(pieces[PIECES - 1].retainedDuplicate());
                }
                return last;
            }).get();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            channel.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            peer.close();
        }
    }

    /**
     * One thread, no peer thread: a jsock socket connected to a blocking JDK channel with room for
     * 64 KiB and more in their buffers; an operation sends the eight pieces and reads the 64 KiB
     * back out on the channel, so no scheduler or wake-up is measured, only the calls.
     */
    @State(Scope.Thread)
    public static class Loop {
        java.nio.channels.ServerSocketChannel listener;
        Socket socket;
        SocketChannel receiver;
        SocketChannel rawSender;
        SocketChannel rawReceiver;
        final ByteBuffer[] pieces = pieces();
        final List<ByteBuffer> list = List.of(pieces);
        final ByteBuffer in = ByteBuffer.allocateDirect(PIECES * PIECE);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            listener = java.nio.channels.ServerSocketChannel.open();
            listener.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            socket = Sockets.socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM);
            socket.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 1 << 20);
            socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            socket.connect(listener.getLocalAddress());
            receiver = listener.accept();
            receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
            rawSender = SocketChannel.open();
            rawSender.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 1 << 20);
            rawSender.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            rawSender.connect(listener.getLocalAddress());
            rawReceiver = listener.accept();
            rawReceiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        }

        void rewind() {
            for (ByteBuffer b : pieces) {
                b.clear();
            }
        }

        void drain(SocketChannel from) throws java.io.IOException {
            in.clear();
            while (in.hasRemaining()) {
                if (from.read(in) < 0) {
                    throw new java.io.EOFException();
                }
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            socket.close();
            receiver.close();
            rawSender.close();
            rawReceiver.close();
            listener.close();
        }
    }

    /**
     * {@link Loop} for Netty: its epoll channel connected to a blocking JDK channel; the event loop
     * writes and flushes the eight pieces (gathered with writev(2)) and reads the 64 KiB back out,
     * {@value #NETTY_ROUNDS} rounds an invocation, so the one hand-over to the loop is spread over them.
     */
    @State(Scope.Thread)
    public static class NettyLoop {
        java.nio.channels.ServerSocketChannel listener;
        EventLoopGroup group;
        Channel channel;
        SocketChannel receiver;
        final ByteBuf[] pieces = new ByteBuf[PIECES];
        final ByteBuffer in = ByteBuffer.allocateDirect(PIECES * PIECE);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            listener = java.nio.channels.ServerSocketChannel.open();
            listener.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jmh-worker-netty-loop", true),
                    EpollIoHandler.newFactory());
            channel = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.SO_SNDBUF, 1 << 20)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new io.netty.channel.WriteBufferWaterMark(1 << 20, 1 << 22))
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(listener.getLocalAddress()).sync().channel();
            receiver = listener.accept();
            receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ByteBuffer[] nio = pieces();
            for (int i = 0; i < PIECES; i++) {
                pieces[i] = Unpooled.wrappedBuffer(nio[i]);
            }
        }

        void rounds() throws Exception {
            channel.eventLoop().submit(() -> {
                for (int r = 0; r < NETTY_ROUNDS; r++) {
                    for (int i = 0; i < PIECES - 1; i++) {
                        channel.write(pieces[i].retainedDuplicate(), channel.voidPromise());
                    }
                    ChannelFuture last = channel.writeAndFlush(pieces[PIECES - 1].retainedDuplicate());
                    in.clear();
                    while (in.hasRemaining()) {
                        if (receiver.read(in) < 0) {
                            throw new java.io.EOFException();
                        }
                    }
                    if (!last.isSuccess()) {
                        throw new IllegalStateException("Netty's write did not complete at once", last.cause());
                    }
                }
                return null;
            }).get();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            channel.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            receiver.close();
            listener.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(NETTY_ROUNDS)
    public void loopGather_netty(NettyLoop s) throws Exception {
        s.rounds();
    }

    @Benchmark
    public void loopSendAllList_jsock(Loop s) throws Exception {
        s.rewind();
        s.socket.sendAll(s.list);
        s.drain(s.receiver);
    }

    @Benchmark
    public void loopOneByOne_jsock(Loop s) throws Exception {
        s.rewind();
        for (ByteBuffer b : s.pieces) {
            s.socket.sendAll(b);
        }
        s.drain(s.receiver);
    }

    @Benchmark
    public void loopGather_raw(Loop s) throws Exception {
        s.rewind();
        long left = (long) PIECES * PIECE;
        while (left > 0) {
            left -= s.rawSender.write(s.pieces);
        }
        s.drain(s.rawReceiver);
    }

    @Benchmark
    public void sendAllList_jsock(Jsock s) throws Exception {
        s.rewind();
        s.socket.sendAll(s.list);
    }

    @Benchmark
    public void oneByOne_jsock(Jsock s) throws Exception {
        s.rewind();
        for (ByteBuffer b : s.pieces) {
            s.socket.sendAll(b);
        }
    }

    @Benchmark
    @OperationsPerInvocation(NETTY_ROUNDS)
    public void gather_netty(Netty s) throws Exception {
        ChannelFuture last = s.rounds();
        last.sync();
    }

    @Benchmark
    public void gather_raw(Raw s) throws Exception {
        for (ByteBuffer b : s.pieces) {
            b.clear();
        }
        long left = (long) PIECES * PIECE;
        while (left > 0) {
            left -= s.channel.write(s.pieces);
        }
    }
}
