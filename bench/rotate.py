#!/usr/bin/env python3
"""Ratios of the first benchmark to each of the others, measured one fork at a time in rotation.

    FORKS=6 OPTS='-wi 2 -i 3 -w 1s -r 1s -prof io.jsock.bench.ThreadCpuProfiler' python3 bench/rotate.py \\
        GatherBench.sendAllList_jsock GatherBench.oneByOne_jsock GatherBench.gather_netty

Rounds alternate forward and backward (A B C, C B A, A B C, ...), one JMH run of one fork each, so a
load that rises or falls on a shared machine weighs on every benchmark alike, as abba.py does for
jsock/raw pairs. Prints, per benchmark: the mean of its fork scores with their min-max, the first
benchmark's mean over its mean, the min-max of the ratios within each round, and cpu.worker (the
sending thread's CPU per operation, with this benchmark's over the first's) when -prof io.jsock.bench.ThreadCpuProfiler is among the
options. The JSON of every fork stays in OUT (default $TMPDIR/jsock-rotate).
"""
import json
import os
import shlex
import subprocess
import sys

JAR = os.environ.get("JAR", "bench/target/benchmarks.jar")
OUT = os.environ.get("OUT", os.path.join(os.environ.get("TMPDIR", "/tmp"), "jsock-rotate"))
OPTS = shlex.split(os.environ.get("OPTS", "-wi 2 -i 3 -w 1s -r 1s"))
PIN = shlex.split(os.environ.get("PIN", ""))
FORKS = int(os.environ.get("FORKS", "6"))


def run(name, n):
    stem = os.path.join(OUT, "%s-%d" % (name, n))
    cmd = PIN + ["java", "-jar", JAR, "^io\\.jsock\\.bench\\.%s$" % name.replace(".", "\\."), "-f", "1"] + OPTS \
        + ["-rf", "json", "-rff", stem + ".json"]
    with open(stem + ".log", "w") as log:
        if subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT) != 0:
            sys.exit("failed: %s, see %s.log" % (name, stem))
    result = json.load(open(stem + ".json"))
    if len(result) != 1:
        sys.exit("%s matched %d benchmarks, see %s.log" % (name, len(result), stem))
    r = result[0]
    cpu = r.get("secondaryMetrics", {}).get("cpu.worker", {}).get("score")
    return r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"], cpu


def main(names):
    os.makedirs(OUT, exist_ok=True)
    print("command: %s java -jar %s '<benchmark>' -f 1 %s, %d forks each in rotation"
          % (" ".join(PIN), JAR, " ".join(OPTS), FORKS), flush=True)
    scores = {n: [] for n in names}
    cpus = {n: [] for n in names}
    unit = ""
    for k in range(FORKS):
        for name in (names if k % 2 == 0 else list(reversed(names))):
            score, unit, cpu = run(name, k)
            scores[name].append(score)
            if cpu is not None:
                cpus[name].append(cpu)
    mean = lambda xs: sum(xs) / len(xs)
    first = names[0]
    print("%-34s %-30s %8s  %-13s  %s" % ("benchmark", "mean (min-max) " + unit, "ratio", "round ratios", "cpu.worker ns/op"))
    for name in names:
        s = scores[name]
        ratios = [a / b for a, b in zip(scores[first], s)]
        cpu = ("%.0f (this/first %.3f)" % (mean(cpus[name]), mean(cpus[name]) / mean(cpus[first]))
               if cpus[name] else "-")
        print("%-34s %-30s %8.3f  %.3f-%.3f  %s" % (name, "%.0f (%.0f-%.0f)" % (mean(s), min(s), max(s)),
                                                  mean(scores[first]) / mean(s), min(ratios), max(ratios), cpu), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])
