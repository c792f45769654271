package io.jsock.bench;

import io.jsock.Accepted;
import io.jsock.Ready;
import io.jsock.Selector;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.SocketPair;
import io.jsock.Sockets;
import io.jsock.server.TCPServer;
import io.jsock.server.Threading;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The echo load program of bench/README.md: 1000 concurrent loopback clients (JDK NIO, the same
 * for every server) each echoing 64-byte messages, closed loop, against three echo servers in the
 * same run, one after the other in each round: jsock's {@link Selector} on one thread, jsock's
 * {@link TCPServer} with {@link Threading#VIRTUAL} (JDK 21+), and Netty's epoll transport with one
 * event-loop thread. Then 10,000 idle connections to the selector server, with its heap and thread
 * count, and the cost of {@code select(ZERO)} with one ready socket among few and among many.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.jsock.bench.EchoLoad [clients] [seconds] [rounds] [idle]</pre>
 */
public final class EchoLoad {
    private static final int MESSAGE = 64;

    private EchoLoad() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int idle = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        System.out.printf("JDK %s, %d cores, %d clients x %d-byte messages, %d s measured after 2 s warm-up, %d rounds%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), clients, MESSAGE, seconds, rounds);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (String name : servers()) {
                try (EchoServer server = start(name)) {
                    double rate = drive(server.port(), clients, seconds);
                    rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
                    System.out.printf("round %d  %-9s %,12.0f round trips/s%n", r, name, rate);
                }
            }
        }
        System.out.println();
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            List<Double> v = new ArrayList<>(e.getValue());
            Collections.sort(v);
            System.out.printf("%-9s median %,12.0f  min %,12.0f  max %,12.0f round trips/s%n", e.getKey(), v.get(v.size() / 2),
                    v.get(0), v.get(v.size() - 1));
        }
        List<Double> netty = rates.get("netty");
        for (String name : rates.keySet()) {
            if (!name.equals("netty")) {
                List<Double> ratio = new ArrayList<>();
                for (int i = 0; i < netty.size(); i++) {
                    ratio.add(rates.get(name).get(i) / netty.get(i));
                }
                Collections.sort(ratio);
                System.out.printf("%s / netty per round: median %.2f (%.2f to %.2f)%n", name, ratio.get(ratio.size() / 2), ratio.get(0),
                        ratio.get(ratio.size() - 1));
            }
        }
        System.out.println();
        idleConnections(idle);
        System.out.println();
        selectCost();
    }

    private static List<String> servers() {
        List<String> names = new ArrayList<>(List.of("selector"));
        if (Runtime.version().feature() >= 21) {
            names.add("virtual");
        }
        names.add("netty");
        return names;
    }

    interface EchoServer extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    private static EchoServer start(String name) throws Exception {
        switch (name) {
            case "selector":
                return new SelectorEcho();
            case "virtual":
                return virtualEcho();
            default:
                return nettyEcho();
        }
    }

    /** A Selector echo on one thread: each readable connection's bytes straight back. */
    static final class SelectorEcho implements EchoServer {
        final Socket listener;
        final Selector selector;
        final Thread thread;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();

        SelectorEcho() throws SocketError {
            listener = Sockets.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096, false, false);
            listener.setBlocking(false);
            selector = Selector.open();
            selector.register(listener, Selector.EVENT_READ, null);
            thread = new Thread(this::run, "selector-echo");
            thread.start();
        }

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            List<Socket> open = new ArrayList<>();
            try {
                while (!stop.get()) {
                    for (Ready r : selector.select(null)) {
                        Socket s = r.key().socket();
                        if (s == listener) {
                            for (int i = 0; i < 64; i++) {
                                Accepted a;
                                try {
                                    a = listener.accept();
                                } catch (SocketError e) {
                                    break; // EAGAIN: nobody else waits
                                }
                                selector.register(a.socket(), Selector.EVENT_READ, null);
                                open.add(a.socket());
                                accepted.incrementAndGet();
                            }
                            continue;
                        }
                        int n;
                        try {
                            n = s.recvInto(buffer.clear());
                        } catch (SocketError e) {
                            n = 0;
                        }
                        if (n == 0) {
                            selector.unregister(s);
                            s.close();
                            continue;
                        }
                        s.sendAll(buffer.flip());
                    }
                }
            } catch (SocketError e) {
                if (!stop.get()) {
                    throw new IllegalStateException(e);
                }
            } finally {
                open.forEach(Socket::close);
            }
        }

        @Override
        public int port() {
            try {
                return ((InetSocketAddress) listener.getSockName()).getPort();
            } catch (SocketError e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            selector.wakeup();
            thread.join();
            selector.close();
            listener.close();
        }
    }

    private static EchoServer virtualEcho() throws SocketError {
        TCPServer server = new TCPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), request -> {
            Socket s = request.socket();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (s.recvInto(buffer.clear()) > 0) {
                s.sendAll(buffer.flip());
            }
        }, Threading.VIRTUAL);
        Thread t = new Thread(() -> {
            try {
                server.serveForever(null);
            } catch (SocketError e) {
                throw new IllegalStateException(e);
            }
        }, "virtual-echo");
        t.start();
        return new EchoServer() {
            @Override
            public int port() {
                return ((InetSocketAddress) server.serverAddress()).getPort();
            }

            @Override
            public void close() throws InterruptedException {
                server.shutdown();
                t.join();
                server.close();
            }
        };
    }

    /** Netty's echo, epoll transport, one event-loop thread for the connections (and one for accepting). */
    @ChannelHandler.Sharable
    static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    private static EchoServer nettyEcho() throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        NettyEcho echo = new NettyEcho();
        Channel channel = new ServerBootstrap().group(boss, worker).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096).childHandler(echo)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return new EchoServer() {
            @Override
            public int port() {
                return ((InetSocketAddress) channel.localAddress()).getPort();
            }

            @Override
            public void close() throws InterruptedException {
                channel.close().sync();
                boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
                worker.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            }
        };
    }

    /** Connects the clients, runs them 2 s to warm up and {@code seconds} measured; returns round trips per second. */
    private static double drive(int port, int clients, int seconds) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        int threads = 2;
        List<java.nio.channels.Selector> selectors = new ArrayList<>();
        List<SocketChannel> channels = new ArrayList<>();
        LongAdder trips = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        for (int t = 0; t < threads; t++) {
            selectors.add(java.nio.channels.Selector.open());
        }
        byte[] message = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < clients; i++) {
            SocketChannel c = SocketChannel.open(server);
            c.configureBlocking(false);
            channels.add(c);
        }
        List<Thread> drivers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            java.nio.channels.Selector sel = selectors.get(t);
            List<SocketChannel> mine = new ArrayList<>();
            for (int i = t; i < clients; i += threads) {
                mine.add(channels.get(i));
            }
            Thread d = new Thread(() -> {
                try {
                    for (SocketChannel c : mine) {
                        c.register(sel, SelectionKey.OP_READ, ByteBuffer.allocate(MESSAGE));
                        c.write(ByteBuffer.wrap(message));
                    }
                    while (!stop.get()) {
                        sel.select(100);
                        for (SelectionKey k : sel.selectedKeys()) {
                            SocketChannel c = (SocketChannel) k.channel();
                            ByteBuffer in = (ByteBuffer) k.attachment();
                            if (c.read(in) < 0) {
                                throw new IOException("the server closed a connection");
                            }
                            if (!in.hasRemaining()) {
                                trips.increment();
                                in.clear();
                                c.write(ByteBuffer.wrap(message));
                            }
                        }
                        sel.selectedKeys().clear();
                    }
                } catch (IOException e) {
                    if (!stop.get()) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "client-" + t);
            drivers.add(d);
            d.start();
        }
        Thread.sleep(2_000);
        long before = trips.sum();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long after = trips.sum();
        double rate = (after - before) / ((System.nanoTime() - start) / 1e9);
        stop.set(true);
        for (Thread d : drivers) {
            d.join();
        }
        for (SocketChannel c : channels) {
            c.close();
        }
        for (java.nio.channels.Selector s : selectors) {
            s.close();
        }
        return rate;
    }

    /** 10,000 idle connections (from a CPython process) to the selector server: its heap after a GC, and its threads. */
    private static void idleConnections(int idle) throws Exception {
        try (SelectorEcho server = new SelectorEcho()) {
            long heapBefore = heapAfterGc();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            String script = String.join("\n", "import socket, sys", "n, port = int(sys.argv[1]), int(sys.argv[2])", "held = []",
                    "for i in range(n):", "    s = socket.create_connection(('127.0.0.1', port))", "    held.append(s)",
                    "print('connected', flush=True)", "sys.stdin.read()");
            Process p = new ProcessBuilder("python3", "-c", script, Integer.toString(idle), Integer.toString(server.port()))
                    .redirectErrorStream(true).start();
            try {
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (!"connected".equals(line)) {
                    throw new IllegalStateException("the idle clients said: " + line);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (server.accepted.get() < idle && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                long heap = heapAfterGc();
                int threads = ManagementFactory.getThreadMXBean().getThreadCount();
                System.out.printf("selector server, %,d idle connections accepted: heap after GC %.1f MiB (%.1f MiB before), "
                        + "%d live threads (%d before), %d MiB max heap%n", server.accepted.get(), heap / 1048576.0, heapBefore / 1048576.0,
                        threads, threadsBefore, Runtime.getRuntime().maxMemory() / 1048576);
            } finally {
                p.getOutputStream().close();
                p.waitFor();
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** select(ZERO) with one ready socket among 10 and among 4,000 registered: O(ready) means about the same cost. */
    private static void selectCost() throws Exception {
        for (int registered : new int[] {10, 4_000}) {
            List<SocketPair> pairs = new ArrayList<>();
            try (Selector selector = Selector.open()) {
                for (int i = 0; i < registered; i++) {
                    SocketPair p = Sockets.socketPair();
                    pairs.add(p);
                    selector.register(p.second(), Selector.EVENT_READ, null);
                }
                pairs.get(0).first().sendAll(new byte[1]);
                List<Double> perCall = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    int calls = 200_000;
                    long start = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        if (selector.select(Duration.ZERO).size() != 1) {
                            throw new IllegalStateException("one socket is ready");
                        }
                    }
                    perCall.add((System.nanoTime() - start) / (double) calls);
                }
                Collections.sort(perCall);
                System.out.printf("select(ZERO), 1 ready of %,5d registered: median %.0f ns per call (%.0f to %.0f over 5 rounds of 200,000)%n",
                        registered, perCall.get(2), perCall.get(0), perCall.get(4));
            } finally {
                for (SocketPair p : pairs) {
                    p.first().close();
                    p.second().close();
                }
            }
        }
    }
}
