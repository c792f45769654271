package io.jsock.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The far end of every TCP benchmark, the same raw JDK NIO code whichever client is measured: a
 * blocking {@link SocketChannel} on a thread of its own that drains (sink), fills (source) or
 * echoes one byte at a time (echo), until the benchmark closes its end.
 */
final class TcpPeer implements AutoCloseable {
    enum Kind { SINK, SOURCE, ECHO }

    static final int CHUNK = 64 * 1024;

    private final ServerSocketChannel listener;
    private final Kind kind;
    private final boolean noDelay;
    private Future<SocketChannel> accepted;
    private SocketChannel channel;
    private Thread thread;
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tcp-peer-accept");
        t.setDaemon(true);
        return t;
    });

    /** Listens on 127.0.0.1 at a free port; {@link #address()} is where the client connects. */
    TcpPeer(Kind kind, boolean noDelay) throws IOException {
        this.kind = kind;
        this.noDelay = noDelay;
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        accepted = acceptor.submit((Callable<SocketChannel>) listener::accept);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /** After the client connected: takes the connection and starts the peer's loop. */
    void start() throws Exception {
        channel = accepted.get(10, TimeUnit.SECONDS);
        acceptor.shutdown();
        listener.close();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
        thread = new Thread(this::loop, "tcp-peer-" + kind);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try (SocketChannel ch = channel) {
            switch (kind) {
                case SINK -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(CHUNK);
                    while (ch.read(b.clear()) >= 0) {
                        // drained
                    }
                }
                case SOURCE -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(CHUNK);
                    while (true) {
                        ch.write(b.clear());
                    }
                }
                case ECHO -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(1);
                    while (ch.read(b.clear()) > 0) {
                        ch.write(b.flip());
                    }
                }
            }
        } catch (IOException closedByTheBenchmark) {
            // the client closed its end at tear-down: a source's write fails, that ends the loop
        }
    }

    @Override
    public void close() throws IOException {
        acceptor.shutdownNow();
        listener.close();
        if (channel != null) {
            channel.close();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the caller sees the interrupt; the peer thread is a daemon
            }
        }
    }
}
