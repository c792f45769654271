package io.jsock.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;

/**
 * The far end of every UDP benchmark, the same raw JDK NIO code whichever client is measured: a
 * blocking {@link DatagramChannel} on 127.0.0.1 on a thread of its own that sends each datagram
 * back to its sender (echo) or drops it (sink), until the benchmark closes it.
 */
final class UdpPeer implements AutoCloseable {
    enum Kind { ECHO, SINK }

    private final DatagramChannel channel;
    private final Kind kind;
    private final Thread thread;
    private volatile IOException failure;

    /** Binds 127.0.0.1 at a free port and starts the loop; {@link #address()} is where clients send. */
    UdpPeer(Kind kind) throws IOException {
        this.kind = kind;
        channel = DatagramChannel.open();
        // a sink that falls behind loses datagrams rather than slowing the sender; a large buffer keeps it rare
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::loop, "udp-peer-" + kind);
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        try {
            while (true) {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                if (kind == Kind.ECHO) {
                    buf.flip();
                    channel.send(buf, from);
                }
            }
        } catch (AsynchronousCloseException closed) {
            // the benchmark is over
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller sees the interrupt; the peer thread is a daemon
        }
        if (failure != null) {
            throw failure;
        }
    }
}
