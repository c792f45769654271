#!/bin/sh
# jsock/raw ratios of TcpStreamBench measured in ABBA order: each pair runs as jsock, raw, raw,
# jsock (one fork each, back to back), so a machine load that rises or falls during the pair
# weighs on both sides alike. On a shared machine this gives steadier ratios than one JMH run,
# which runs all forks of X_jsock before those of X_raw.
#
#   sh bench/tcp-abba.sh                      # after: mvn -q package -DskipTests
#   OPTS='-wi 2 -i 4 -w 1s -r 1s' sh bench/tcp-abba.sh pingPongDirect
set -eu
JAR=${JAR:-bench/target/benchmarks.jar}
OUT=${OUT:-${TMPDIR:-/tmp}/jsock-tcp-abba}
OPTS=${OPTS:--wi 3 -i 5 -w 2s -r 2s}
PAIRS=${*:-bulkSendDirect bulkRecvDirect bulkSendArray bulkRecvArray pingPongDirect pingPongBytes}
mkdir -p "$OUT"
rm -f "$OUT"/*.json
for pair in $PAIRS; do
  n=0
  for impl in jsock raw raw jsock; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    java -jar "$JAR" "TcpStreamBench\.${pair}_${impl}\$" -f 1 $OPTS -rf json -rff "$OUT/$pair-$n-$impl.json" \
      > "$OUT/$pair-$n-$impl.log" 2>&1 || { echo "failed: $pair $impl, see $OUT/$pair-$n-$impl.log" >&2; exit 1; }
  done
  echo "$pair done" >&2
done
python3 - "$OUT" $PAIRS <<'PY'
import json, sys, glob, os
out, pairs = sys.argv[1], sys.argv[2:]
print("%-16s %16s %16s %7s   %s" % ("pair", "jsock (mean)", "raw (mean)", "ratio", "A1/B1  A2/B2 (ABBA halves)"))
for pair in pairs:
    runs = {}
    for f in sorted(glob.glob(os.path.join(out, pair + "-*.json"))):
        n, impl = os.path.basename(f)[len(pair) + 1:-5].split("-")
        runs[int(n)] = (impl, json.load(open(f))[0]["primaryMetric"]["score"])
    js = [runs[i][1] for i in (1, 4)]
    raw = [runs[i][1] for i in (2, 3)]
    unit = "B/s" if pair.startswith("bulk") else "rt/s"
    mean = lambda xs: sum(xs) / len(xs)
    print("%-16s %12.4g %s %12.4g %s %7.3f   %.3f  %.3f" % (pair, mean(js), unit, mean(raw), unit,
          mean(js) / mean(raw), js[0] / raw[0], js[1] / raw[1]))
PY
