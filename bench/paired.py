#!/usr/bin/env python3
"""jsock/raw ratios from a JMH JSON result of the *PairedBench classes.

In each group of TcpPairedBench, UdpPairedBench and UnixPairedBench, X_jsock and X_raw run at the
same time, so the ratio of their scores in one iteration is a comparison under the same load.

    java -jar bench/target/benchmarks.jar 'PairedBench' -f 3 -rf json -rff paired.json
    python3 bench/paired.py paired.json

Prints per group: each side's mean score, the ratio of the means, the median of the per-iteration
ratios, and the lowest and highest per-fork ratio (a fork's jsock mean over its raw mean).
"""
import json
import statistics
import sys


def fmt(x):
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= limit:
            return "%.3g%s" % (x / limit, suffix)
    return "%.3g" % x


def main(paths):
    print("%-32s %9s %9s %7s %7s  %-11s %s" % ("group", "jsock", "raw", "ratio", "median", "fork range", "forks x iterations"))
    for path in paths:
        for r in json.load(open(path)):
            name = r["benchmark"].rsplit(".", 1)[1]
            cls = r["benchmark"].rsplit(".", 2)[1]
            sec = r["secondaryMetrics"]
            js = [k for k in sec if k.endswith("_jsock")]
            raw = [k for k in sec if k.endswith("_raw")]
            if len(js) != 1 or len(raw) != 1:
                continue
            a, b = sec[js[0]]["rawData"], sec[raw[0]]["rawData"]
            ratios = [x / y for fa, fb in zip(a, b) for x, y in zip(fa, fb)]
            forks = [statistics.mean(fa) / statistics.mean(fb) for fa, fb in zip(a, b)]
            ma, mb = sec[js[0]]["score"], sec[raw[0]]["score"]
            print("%-32s %9s %9s %7.3f %7.3f  %.3f-%.3f %d x %d" % (
                cls + "." + name, fmt(ma), fmt(mb), ma / mb, statistics.median(ratios), min(forks), max(forks),
                len(a), len(a[0])))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
