#!/usr/bin/env bash
# Control-plane benchmarks of issue 4, as BENCHMARKS.md reports them.
#   control-plane-bench.sh jmh [JMH_REGEX]   JMH: group generation and per-proxy push, 3 forks, -prof gc
#   control-plane-bench.sh ads [RUNS] [harness options...]
#                                            the ADS load harness RUNS times (default 3), each with
#                                            1,000 proxies and 1,000 services x 3 zones x 10 endpoints
# Results (JSON, logs and a summary with medians and min-max over forks/runs) go to
# $OUT (default zonemesh-bench/target/bench-results). Needs target/benchmarks.jar:
#   mvn -B -o -q -pl zonemesh-bench install -DskipTests
# Not run by `mvn verify` or .ci/run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(cd "$here/.." && pwd)"
jar="$module/target/benchmarks.jar"
out="${OUT:-$module/target/bench-results}"
mkdir -p "$out"
[ -f "$jar" ] || { echo "missing $jar; build it with: mvn -B -o -q -pl zonemesh-bench install -DskipTests" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed for the summary (apt-get install -y python3)" >&2; exit 2; }

machine() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
    "$(java -version 2>&1 | head -1)"
}

case "${1:-}" in
  jmh)
    regex="${2:-GroupGeneration|ProxyPush}"
    java -jar "$jar" -f 3 -prof gc -rf json -rff "$out/jmh.json" "$regex" | tee "$out/jmh.log"
    machine | tee "$out/jmh-summary.txt"
    python3 - "$out/jmh.json" <<'EOF' | tee -a "$out/jmh-summary.txt"
import json, statistics, sys
# Per benchmark: the median of the forks' means, with the lowest and highest fork mean.
for b in json.load(open(sys.argv[1])):
    name = b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]
    pm = b["primaryMetric"]
    forks = [statistics.mean(f) for f in pm["rawData"]]
    alloc = b["secondaryMetrics"].get("gc.alloc.rate.norm")
    mb = ""
    if alloc:
        per_fork = [statistics.mean(f) for f in alloc["rawData"]]
        mb = f"  alloc {statistics.median(per_fork) / 1048576:.2f} MB/op"
    print(f"{name:45s} {statistics.median(forks):12.3f} {pm['scoreUnit']:6s} "
          f"(forks {min(forks):.3f}-{max(forks):.3f}, n={len(forks)}){mb}")
EOF
    ;;
  ads)
    runs="${2:-3}"
    shift $(( $# >= 2 ? 2 : 1 ))
    for i in $(seq 1 "$runs"); do
      # 1,000 simulated proxies in one JVM receive their initial ~4 MB each at once: gRPC holds each
      # message in direct memory until it is complete, hence the generous direct-memory limit.
      java -Xmx3g -XX:MaxDirectMemorySize=6g -cp "$jar" io.zonemesh.bench.ads.AdsLoadHarness --changes 3 --json "$out/ads-$i.json" "$@" \
        | tee "$out/ads-$i.log"
    done
    machine | tee "$out/ads-summary.txt"
    python3 - "$out" "$runs" <<'EOF' | tee -a "$out/ads-summary.txt"
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
reports = [json.load(open(f"{out}/ads-{i}.json")) for i in range(1, runs + 1)]
def line(label, values, unit):
    print(f"{label:48s} median {statistics.median(values):10.1f} {unit} (runs {min(values):.1f}-{max(values):.1f}, n={len(values)})")
line("initial sync of all proxies", [r["initialSyncMillis"] for r in reports], "ms")
changes = [c for r in reports for c in r["changes"]]
line("endpoint change -> ACKed, p50 over proxies", [c["ack"]["p50Millis"] for c in changes], "ms")
line("endpoint change -> ACKed, p99 over proxies", [c["ack"]["p99Millis"] for c in changes], "ms")
line("endpoint change -> ACKed, max over proxies", [c["ack"]["maxMillis"] for c in changes], "ms")
line("registry apply of the change", [c["applyMillis"] for c in changes], "ms")
if reports[0]["heapMeshOnlyBytes"] >= 0:
    line("control plane heap after GC, mesh only", [r["heapMeshOnlyBytes"] / 1048576 for r in reports], "MB")
    line("control plane heap after GC, with proxies", [r["heapWithProxiesBytes"] / 1048576 for r in reports], "MB")
    line("control plane CPU over the run", [r["controlPlaneCpuSeconds"] for r in reports], "s")
print(f"(changes: {len(changes)} over {runs} runs)")
EOF
    ;;
  *)
    sed -n '2,10p' "$0"
    exit 2
    ;;
esac
