#!/usr/bin/env bash
# Zone loss under load (issue 4): io.zonemesh.bench.failover.FailoverBench runs examples/multi-az
# on the local mesh in one JVM (control plane, sidecars, echo apps, as `zonemesh up` does), sends
# a steady open-loop 500 requests/s from az01's sleep client through its sidecar to
# helloworld.sample:5000, stops az01's helloworld 3 s in and measures 7 s more: failed requests
# and the time until every answer comes from az02. Modes: `defaults` (the example's
# locality-failover DestinationRule, Istio's default retry policy) and `retries` (plus a
# VirtualService: attempts 3, retryOn connect-failure,refused-stream,unavailable,cancelled,reset,503,
# retryRemoteLocalities: true). Each run starts a fresh mesh; runs alternate the modes.
#
# usage: failover-bench.sh [-n RUNS] [-r RATE] [-o OUT_DIR] [-- extra FailoverBench flags]
#   BENCH_JAR   default: <repo>/zonemesh-bench/target/benchmarks.jar
#   JAVA_OPTS   default: -Xmx1g
set -euo pipefail

runs=3
rate=500
out=""
while getopts "n:r:o:h" opt; do
  case "$opt" in
    n) runs="$OPTARG" ;;
    r) rate="$OPTARG" ;;
    o) out="$OPTARG" ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=failover-bench
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
bench_require java
bench_require_jar "$bench_jar"
out="${out:-$(mktemp -d /tmp/zonemesh-failover-bench.XXXXXX)}"
mkdir -p "$out"

# Bounded: each run is warm-up + 10 s of load plus the mesh's start (30 s at most); the JVM exits
# when done and takes every server it started with it.
# shellcheck disable=SC2086
timeout $((runs * 2 * 90 + 60)) java ${JAVA_OPTS:--Xmx1g} -cp "$bench_jar" io.zonemesh.bench.failover.FailoverBench \
  --mode both --runs "$runs" --rate "$rate" --json "$out/failover.json" "$@" 2> >(grep -v ' INFO ' >"$out/failover.log") \
  | tee "$out/failover.txt"
echo "results: $out/failover.json; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
