package io.jsock.bench;

import io.jsock.Datagram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link UdpBench}'s pairs run side by side: in each JMH group one thread runs the jsock benchmark
 * and one the raw {@code DatagramChannel} benchmark of the pair, at the same time, each against its
 * own {@link UdpPeer}, so that a load swing on a shared machine hits both alike. The ratio to read
 * is that of {@code X_jsock} to {@code X_raw} within one iteration ({@code bench/paired.py}
 * computes them); the absolute figures are lower than {@link UdpBench}'s because four threads
 * share the cores. Each method calls {@link UdpBench}'s, so both measure the same code.
 *
 * <pre>java -jar bench/target/benchmarks.jar 'UdpPairedBench' -f 3 -rf json -rff udp-paired.json</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class UdpPairedBench {
    private static final UdpBench UDP = new UdpBench();

    @Benchmark
    @Group("bulkSendDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(UdpBench.BULK)
    public int bulkSendDirect_jsock(UdpBench.JsockConnectedSink s) throws Exception {
        return UDP.bulkSendDirect_jsock(s);
    }

    @Benchmark
    @Group("bulkSendDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(UdpBench.BULK)
    public int bulkSendDirect_raw(UdpBench.RawConnectedSink s) throws Exception {
        return UDP.bulkSendDirect_raw(s);
    }

    @Benchmark
    @Group("bulkSendArray")
    @GroupThreads(1)
    @OperationsPerInvocation(UdpBench.BULK)
    public int bulkSendArray_jsock(UdpBench.JsockConnectedSink s) throws Exception {
        return UDP.bulkSendArray_jsock(s);
    }

    @Benchmark
    @Group("bulkSendArray")
    @GroupThreads(1)
    @OperationsPerInvocation(UdpBench.BULK)
    public int bulkSendArray_raw(UdpBench.RawConnectedSink s) throws Exception {
        return UDP.bulkSendArray_raw(s);
    }

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_jsock(UdpBench.JsockConnectedEcho s) throws Exception {
        return UDP.pingPongDirect_jsock(s);
    }

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_raw(UdpBench.RawConnectedEcho s) throws Exception {
        return UDP.pingPongDirect_raw(s);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_jsock(UdpBench.JsockConnectedEcho s) throws Exception {
        return UDP.pingPongBytes_jsock(s);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_raw(UdpBench.RawConnectedEcho s) throws Exception {
        return UDP.pingPongBytes_raw(s);
    }

    @Benchmark
    @Group("pingPongSendTo")
    @GroupThreads(1)
    public Datagram pingPongSendTo_jsock(UdpBench.JsockEcho s) throws Exception {
        return UDP.pingPongSendTo_jsock(s);
    }

    @Benchmark
    @Group("pingPongSendTo")
    @GroupThreads(1)
    public Datagram pingPongSendTo_raw(UdpBench.RawEcho s) throws Exception {
        return UDP.pingPongSendTo_raw(s);
    }

    @Benchmark
    @Group("oneWayDirect")
    @GroupThreads(1)
    public int oneWayDirect_jsock(UdpBench.JsockConnectedSink s) throws Exception {
        return UDP.oneWayDirect_jsock(s);
    }

    @Benchmark
    @Group("oneWayDirect")
    @GroupThreads(1)
    public int oneWayDirect_raw(UdpBench.RawConnectedSink s) throws Exception {
        return UDP.oneWayDirect_raw(s);
    }

    @Benchmark
    @Group("oneWaySendTo")
    @GroupThreads(1)
    public int oneWaySendTo_jsock(UdpBench.JsockSink s) throws Exception {
        return UDP.oneWaySendTo_jsock(s);
    }

    @Benchmark
    @Group("oneWaySendTo")
    @GroupThreads(1)
    public int oneWaySendTo_raw(UdpBench.RawSink s) throws Exception {
        return UDP.oneWaySendTo_raw(s);
    }
}
