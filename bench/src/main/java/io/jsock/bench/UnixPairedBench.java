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
 * {@link UnixStreamBench}'s jsock/JDK pairs run side by side: in each JMH group one thread runs
 * the jsock benchmark and one the JDK's AF_UNIX {@code SocketChannel} benchmark of the pair, at the
 * same time, each with its own peer threads, so that a load swing on a shared machine hits both
 * alike. The ratio to read is that of {@code X_jsock} to {@code X_raw} within one iteration
 * ({@code bench/paired.py} computes them). Each method calls {@link UnixStreamBench}'s.
 *
 * <pre>java -jar bench/target/benchmarks.jar 'UnixPairedBench' -f 3 -rf json -rff unix-paired.json</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class UnixPairedBench {
    private static final UnixStreamBench UNIX = new UnixStreamBench();

    @Benchmark
    @Group("bulkSendDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(UnixStreamBench.BULK)
    public void bulkSendDirect_jsock(UnixStreamBench.Jsock s) throws Exception {
        UNIX.bulkSendDirect_jsock(s);
    }

    @Benchmark
    @Group("bulkSendDirect")
    @GroupThreads(1)
    @OperationsPerInvocation(UnixStreamBench.BULK)
    public void bulkSendDirect_raw(UnixStreamBench.Jdk s) throws Exception {
        UNIX.bulkSendDirect_raw(s);
    }

    @Benchmark
    @Group("bulkSendArray")
    @GroupThreads(1)
    @OperationsPerInvocation(UnixStreamBench.BULK)
    public void bulkSendArray_jsock(UnixStreamBench.Jsock s) throws Exception {
        UNIX.bulkSendArray_jsock(s);
    }

    @Benchmark
    @Group("bulkSendArray")
    @GroupThreads(1)
    @OperationsPerInvocation(UnixStreamBench.BULK)
    public void bulkSendArray_raw(UnixStreamBench.Jdk s) throws Exception {
        UNIX.bulkSendArray_raw(s);
    }

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_jsock(UnixStreamBench.Jsock s) throws Exception {
        return UNIX.pingPongDirect_jsock(s);
    }

    @Benchmark
    @Group("pingPongDirect")
    @GroupThreads(1)
    public int pingPongDirect_raw(UnixStreamBench.Jdk s) throws Exception {
        return UNIX.pingPongDirect_raw(s);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_jsock(UnixStreamBench.Jsock s) throws Exception {
        return UNIX.pingPongBytes_jsock(s);
    }

    @Benchmark
    @Group("pingPongBytes")
    @GroupThreads(1)
    public byte[] pingPongBytes_raw(UnixStreamBench.Jdk s) throws Exception {
        return UNIX.pingPongBytes_raw(s);
    }
}
