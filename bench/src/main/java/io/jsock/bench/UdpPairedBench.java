package io.jsock.bench;

import io.jsock.Datagram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * {@link UdpBench}'s pairs run side by side: in each JMH group one thread drives jsock and one
 * drives a raw {@code DatagramChannel}, at the same time, each against its own {@link UdpPeer}. On
 * a shared machine whose load swings from second to second, both then see the same swings, so the
 * ratio {@code X_jsock / X_raw} within a group is the comparison to read; the absolute figures
 * are lower than {@link UdpBench}'s because the four threads share the cores.
 *
 * <pre>java -jar bench/target/benchmarks.jar 'UdpPairedBench' -f 3 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class UdpPairedBench {
    private static final int SIZE = UdpBench.SIZE;

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_jsock(UdpBench.JsockConnectedEcho c) throws Exception {
        c.out.clear();
        c.socket.send(c.out);
        c.in.clear();
        return c.socket.recvInto(c.in);
    }

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_raw(UdpBench.RawConnectedEcho c) throws Exception {
        c.out.clear();
        c.channel.write(c.out);
        c.in.clear();
        return c.channel.read(c.in);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_jsock(UdpBench.JsockConnectedEcho c) throws Exception {
        c.socket.send(c.payload);
        return c.socket.recv(SIZE);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_raw(UdpBench.RawConnectedEcho c) throws Exception {
        c.channel.write(ByteBuffer.wrap(c.payload));
        byte[] got = new byte[SIZE];
        c.channel.read(ByteBuffer.wrap(got));
        return got;
    }

    @Benchmark
    @Group("pingPongSendTo")
    @GroupThreads(1)
    public Datagram pingPongSendTo_jsock(UdpBench.JsockEcho c) throws Exception {
        c.socket.sendTo(c.payload, c.to);
        return c.socket.recvFrom(SIZE);
    }

    @Benchmark
    @Group("pingPongSendTo")
    @GroupThreads(1)
    public Datagram pingPongSendTo_raw(UdpBench.RawEcho c) throws Exception {
        c.channel.send(ByteBuffer.wrap(c.payload), c.to);
        byte[] got = new byte[SIZE];
        ByteBuffer buf = ByteBuffer.wrap(got);
        SocketAddress from = c.channel.receive(buf);
        return new Datagram(buf.position() == SIZE ? got : java.util.Arrays.copyOf(got, buf.position()), from);
    }

    @Benchmark
    @Group("oneWayDirect")
    @GroupThreads(1)
    public int oneWayDirect_jsock(UdpBench.JsockConnectedSink c) throws Exception {
        c.out.clear();
        return c.socket.send(c.out);
    }

    @Benchmark
    @Group("oneWayDirect")
    @GroupThreads(1)
    public int oneWayDirect_raw(UdpBench.RawConnectedSink c) throws Exception {
        c.out.clear();
        return c.channel.write(c.out);
    }

    @Benchmark
    @Group("oneWaySendTo")
    @GroupThreads(1)
    public int oneWaySendTo_jsock(UdpBench.JsockSink c) throws Exception {
        return c.socket.sendTo(c.payload, c.to);
    }

    @Benchmark
    @Group("oneWaySendTo")
    @GroupThreads(1)
    public int oneWaySendTo_raw(UdpBench.RawSink c) throws Exception {
        return c.channel.send(ByteBuffer.wrap(c.payload), c.to);
    }
}
