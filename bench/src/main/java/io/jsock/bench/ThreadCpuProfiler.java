package io.jsock.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time per operation of the benchmark's own threads: {@code cpu.worker} (the JMH worker, the
 * client under test) and {@code cpu.peer} (the peer threads: {@link TcpPeer}, {@link UdpPeer}, the
 * AF_UNIX peers of {@link UnixBenchPeers}), in ns/op, user plus
 * system time as the kernel accounts it. On a shared machine the throughput score falls whenever
 * another process takes the cores; the CPU a call costs moves much less, so these two say whether
 * jsock costs more than raw NIO even when the scores are noisy.
 *
 * <pre>java -jar bench/target/benchmarks.jar TcpStreamBench -prof io.jsock.bench.ThreadCpuProfiler</pre>
 */
public final class ThreadCpuProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Map<Long, Long> before = Map.of();

    @Override
    public String getDescription() {
        return "CPU time per operation of the JMH worker and of the benchmark's peer thread";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = snapshot();
    }

    @Override
    public List<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        Map<Long, Long> after = snapshot();
        long worker = 0;
        long peer = 0;
        for (ThreadInfo info : threads.getThreadInfo(after.keySet().stream().mapToLong(Long::longValue).toArray())) {
            if (info == null) {
                continue;
            }
            long spent = after.get(info.getThreadId()) - before.getOrDefault(info.getThreadId(), 0L);
            if (info.getThreadName().contains("jmh-worker")) {
                worker += spent;
            } else if (isPeer(info.getThreadName())) {
                peer += spent;
            }
        }
        long ops = Math.max(1, result.getMetadata().getAllOps());
        return List.of(
                new ScalarResult("cpu.worker", (double) worker / ops, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.peer", (double) peer / ops, "ns/op", AggregationPolicy.AVG));
    }

    private static boolean isPeer(String name) {
        return name.startsWith("tcp-peer-") || name.startsWith("udp-peer-") || name.startsWith(UnixBenchPeers.PREFIX);
    }

    private Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }
}
