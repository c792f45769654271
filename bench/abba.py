#!/usr/bin/env python3
"""jsock/raw ratios of benchmark pairs, measured one fork at a time in ABBA order.

For each pair (a benchmark name without its _jsock/_raw suffix, e.g. TcpStreamBench.bulkSendDirect)
it runs forks of X_jsock and X_raw alternately, jsock raw raw jsock jsock raw ..., one JMH run of
one fork each, so a load that rises or falls on a shared machine weighs on both sides alike. JMH
itself runs all forks of one benchmark before the next, which on a busy 2-core machine can put
one side in a quiet minute and the other in a loaded one.

    python3 bench/abba.py TcpStreamBench.bulkSendDirect UdpBench.pingPongDirect
    FORKS=3 PIN='taskset -c 1' OPTS='-wi 3 -i 5 -w 1s -r 1s -prof gc' python3 bench/abba.py ...

Prints, per pair: the mean of each side's fork scores with their min-max, the ratio of the means,
the min-max of the ratios of neighbouring forks (the k-th jsock fork against the k-th raw fork),
gc.alloc.rate.norm of each side when -prof gc is among the options, and the ratio of the client
thread's CPU time per operation when -prof io.jsock.bench.ThreadCpuProfiler is. The JSON results of
every fork stay in OUT (default $TMPDIR/jsock-abba).
"""
import glob
import json
import os
import shlex
import subprocess
import sys

JAR = os.environ.get("JAR", "bench/target/benchmarks.jar")
OUT = os.environ.get("OUT", os.path.join(os.environ.get("TMPDIR", "/tmp"), "jsock-abba"))
OPTS = shlex.split(os.environ.get("OPTS", "-wi 3 -i 5 -w 1s -r 1s -prof gc"))
PIN = shlex.split(os.environ.get("PIN", ""))
FORKS = int(os.environ.get("FORKS", "3"))


def order(forks):
    """jsock raw raw jsock jsock raw ...: 2 * forks runs, forks of each side."""
    sides = []
    for i in range(2 * forks):
        sides.append("jsock" if i % 4 in (0, 3) else "raw")
    return sides


def run(pair, n, side):
    name = "%s_%s" % (pair, side)
    stem = os.path.join(OUT, "%s-%d-%s" % (pair, n, side))
    cmd = PIN + ["java", "-jar", JAR, "^io\\.jsock\\.bench\\.%s$" % name.replace(".", "\\."), "-f", "1"] + OPTS \
        + ["-rf", "json", "-rff", stem + ".json"]
    with open(stem + ".log", "w") as log:
        if subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT) != 0:
            sys.exit("failed: %s, see %s.log" % (name, stem))
    result = json.load(open(stem + ".json"))
    if len(result) != 1:
        sys.exit("%s matched %d benchmarks, see %s.log" % (name, len(result), stem))
    r = result[0]
    secondary = r.get("secondaryMetrics", {})
    alloc = secondary.get("gc.alloc.rate.norm", {}).get("score")
    cpu = secondary.get("cpu.worker", {}).get("score")
    return r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"], alloc, cpu


def fmt(x):
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= limit:
            return "%.3g%s" % (x / limit, suffix)
    return "%.3g" % x


def main(pairs):
    os.makedirs(OUT, exist_ok=True)
    print("command: %s java -jar %s '<pair>_<side>' -f 1 %s, %d forks a side in ABBA order"
          % (" ".join(PIN), JAR, " ".join(OPTS), FORKS), flush=True)
    print("%-34s %-22s %-22s %6s  %-11s  %s" % ("pair", "jsock mean (min-max)", "raw mean (min-max)", "ratio",
                                              "fork ratios", "B/op jsock / raw"), flush=True)
    for pair in pairs:
        for f in glob.glob(os.path.join(OUT, pair + "-*")):
            os.remove(f)
        scores = {"jsock": [], "raw": []}
        allocs = {"jsock": [], "raw": []}
        cpus = {"jsock": [], "raw": []}
        for n, side in enumerate(order(FORKS), 1):
            score, unit, alloc, cpu = run(pair, n, side)
            scores[side].append(score)
            if alloc is not None:
                allocs[side].append(alloc)
            if cpu is not None:
                cpus[side].append(cpu)
        mean = lambda xs: sum(xs) / len(xs)
        js, raw = scores["jsock"], scores["raw"]
        ratios = [a / b for a, b in zip(js, raw)]
        alloc = ("%.1f / %.1f" % (mean(allocs["jsock"]), mean(allocs["raw"]))) if allocs["jsock"] else "-"
        cpu = ("   CPU/op jsock/raw %.3f (%.0f / %.0f ns)" % (mean(cpus["jsock"]) / mean(cpus["raw"]), mean(cpus["jsock"]),
                                                         mean(cpus["raw"]))) if cpus["jsock"] else ""
        print("%-34s %-22s %-22s %6.3f  %.3f-%.3f  %s   (%s)%s" % (
            pair,
            "%s (%s-%s)" % (fmt(mean(js)), fmt(min(js)), fmt(max(js))),
            "%s (%s-%s)" % (fmt(mean(raw)), fmt(min(raw)), fmt(max(raw))),
            mean(js) / mean(raw), min(ratios), max(ratios), alloc, unit, cpu), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
