package io.jsock.bench;

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
 * {@link TcpStreamBench}'s pairs run side by side: in each JMH group one thread runs the jsock
 * benchmark and one the raw NIO benchmark of the pair, at the same time, each against its own
 * {@link TcpPeer}, so that a load swing on a shared machine hits both alike. The ratio to read
 * is that of {@code X_jsock} to {@code X_raw} within one iteration ({@code bench/paired.py}
 * computes them); the absolute figures are lower than {@link TcpStreamBench}'s because four
 * threads share the cores. Each method calls {@link TcpStreamBench}'s, so both measure the same code.
 *
 * <pre>java -jar bench/target/benchmarks.jar 'TcpPairedBench' -f 3 -rf json -rff tcp-paired.json</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class TcpPairedBench {
    private static final TcpStreamBench TCP = new TcpStreamBench();

    @Benchmark
    @Group("bulkSendDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkSendDirect_jsock(TcpStreamBench.JsockToSink s) throws Exception {
        TCP.bulkSendDirect_jsock(s);
    }

    @Benchmark
    @Group("bulkSendDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkSendDirect_raw(TcpStreamBench.RawToSink s) throws Exception {
        TCP.bulkSendDirect_raw(s);
    }

    @Benchmark
    @Group("bulkSendArray")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkSendArray_jsock(TcpStreamBench.JsockToSink s) throws Exception {
        TCP.bulkSendArray_jsock(s);
    }

    @Benchmark
    @Group("bulkSendArray")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkSendArray_raw(TcpStreamBench.RawToSink s) throws Exception {
        TCP.bulkSendArray_raw(s);
    }

    @Benchmark
    @Group("bulkRecvDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkRecvDirect_jsock(TcpStreamBench.JsockFromSource s) throws Exception {
        TCP.bulkRecvDirect_jsock(s);
    }

    @Benchmark
    @Group("bulkRecvDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkRecvDirect_raw(TcpStreamBench.RawFromSource s) throws Exception {
        TCP.bulkRecvDirect_raw(s);
    }

    @Benchmark
    @Group("bulkRecvArray")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkRecvArray_jsock(TcpStreamBench.JsockFromSource s) throws Exception {
        TCP.bulkRecvArray_jsock(s);
    }

    @Benchmark
    @Group("bulkRecvArray")
    @GroupThreads(1)
    @OperationsPerInvocation(TcpStreamBench.BULK)
    public void bulkRecvArray_raw(TcpStreamBench.RawFromSource s) throws Exception {
        TCP.bulkRecvArray_raw(s);
    }

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_jsock(TcpStreamBench.JsockToEcho s) throws Exception {
        return TCP.pingPongDirect_jsock(s);
    }

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_raw(TcpStreamBench.RawToEcho s) throws Exception {
        return TCP.pingPongDirect_raw(s);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_jsock(TcpStreamBench.JsockToEcho s) throws Exception {
        return TCP.pingPongBytes_jsock(s);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_raw(TcpStreamBench.RawToEcho s) throws Exception {
        return TCP.pingPongBytes_raw(s);
    }
}
