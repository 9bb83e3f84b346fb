#!/usr/bin/env bash
# Proxy memory (issue 4): RSS and heap of one standalone `zonemesh proxy` JVM, idle and at a
# fixed RATE (default 1,000 requests/s, 1 KB nginx responses through it), with the config of a
# mesh of 10 and of 1,000 services. The proxy joins a `zonemesh up` control plane (its own
# process) of a generated mesh: S Kubernetes Services in namespace `apps`, each selecting the same
# 2 unmeshed echo pods (so every proxy gets S clusters, S virtual hosts, S load assignments),
# plus a STATIC ServiceEntry backend.bench.local -> nginx that the load goes to. The proxy
# identifies as pod vm-0 of the injected namespace `bench`.
#
# Per run and phase: VmRSS, VmHWM (peak), RssAnon and RssFile from /proc/<pid>/status; heap
# committed and used from `jcmd <pid> GC.heap_info`, then the live heap (used after
# `jcmd <pid> GC.run`) and the metaspace. The load phase uses io.zonemesh.bench.load.LatencyBench
# (open loop) and also reports p50/p99 and the proxy's CPU. A new proxy JVM per run.
#
# usage: proxy-memory-bench.sh [-s "10 1000"] [-n RUNS] [-r RATE] [-d LOAD_SECONDS] [-i IDLE_SECONDS] [-o OUT_DIR]
#   ZONEMESH_CMD        how to run the CLI (default: <repo>/zonemesh, the launcher)
#   PROXY_JAVA_OPTS     JVM options of the proxy; unset = the launcher's defaults for `proxy`
#                       (set to "" for none: plain JVM defaults)
#                       (add -XX:NativeMemoryTracking=summary for jcmd VM.native_memory files per phase)
#   UP_JAVA_OPTS        JVM options of `zonemesh up` (default -Xmx1g)
#   BENCH_JAR           default: <repo>/zonemesh-bench/target/benchmarks.jar
set -euo pipefail

services_list="10 1000"
runs=3
rate=1000
load_seconds=30
idle_seconds=10
out=""
while getopts "s:n:r:d:i:o:h" opt; do
  case "$opt" in
    s) services_list="$OPTARG" ;;
    n) runs="$OPTARG" ;;
    r) rate="$OPTARG" ;;
    d) load_seconds="$OPTARG" ;;
    i) idle_seconds="$OPTARG" ;;
    o) out="$OPTARG" ;;
    *) sed -n '2,23p' "$0"; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=proxy-memory-bench
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
up_opts="${UP_JAVA_OPTS:--Xmx1g}"
bench_require nginx curl jq python3 java jcmd
bench_require_jar "$bench_jar"
bench_workdir "$out"

# "rss_mib hwm_mib anon_mib file_mib heap_committed_mib heap_used_mib heap_live_mib metaspace_used_mib" of a JVM.
footprint() {
  local pid="$1" rss hwm anon file heap live
  rss="$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")"
  hwm="$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")"
  # RssAnon is this process's own memory; RssFile is file-backed pages (libjvm, the JDK's and an
  # AppCDS archive's class data), which every sidecar of a node shares through the page cache.
  anon="$(awk '/^RssAnon:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")"
  file="$(awk '/^RssFile:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")"
  # Heap lines: "garbage-first heap total 123K, used 45K" (G1) or "def new generation total ..K,
  # used ..K" + "tenured generation total ..K, used ..K" (Serial): sum the generations.
  heap_sums() {
    awk '/total [0-9]+K, used [0-9]+K/ && !/Metaspace|class space/ {
           for (i = 1; i <= NF; i++) { if ($i == "total") t += $(i+1) + 0; if ($i == "used") u += $(i+1) + 0 }
         }
         /Metaspace/ { for (i = 1; i <= NF; i++) if ($i == "used") m = $(i+1) + 0 }
         END { printf "%.1f %.1f %.1f", t / 1024, u / 1024, m / 1024 }'
  }
  heap="$(jcmd "$pid" GC.heap_info 2>/dev/null | heap_sums)"
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  live="$(jcmd "$pid" GC.heap_info 2>/dev/null | heap_sums)"
  echo "$rss $hwm $anon $file $(echo "$heap" | cut -d' ' -f1,2) $(echo "$live" | cut -d' ' -f2,3)"
}

# With -XX:NativeMemoryTracking=summary in PROXY_JAVA_OPTS: where the JVM's memory goes.
nmt() {
  case "${PROXY_JAVA_OPTS:-}" in
    *NativeMemoryTracking*) jcmd "$1" VM.native_memory summary >"$2" 2>&1 || true ;;
  esac
}

body="$(head -c 1024 /dev/zero | tr '\0' 'x')"
backend_port="$(free_port)"
cat >"$work/backend.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/backend.pid;
error_log $work/logs/backend.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$backend_port;
    location / { default_type text/plain; return 200 "$body"; }
  }
}
CONF
nginx -p "$work" -c "$work/backend.conf" >"$work/logs/backend.out" 2>&1 &
pids+=($!)
wait_http "$backend_port" x "nginx backend" 600

# A mesh of $1 services (see the header).
write_mesh() {
  local dir="$1" n="$2" i
  mkdir -p "$dir"
  cat >"$dir/base.yaml" <<YAML
apiVersion: v1
kind: Node
metadata: {name: bench-node, labels: {topology.kubernetes.io/region: bench, topology.kubernetes.io/zone: az01}}
---
apiVersion: v1
kind: Namespace
metadata: {name: bench, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: apps}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend, namespace: apps}
spec:
  replicas: 2
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec:
      containers: [{name: backend, image: bench/echo, ports: [{containerPort: 8080}]}]
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: backend, namespace: bench}
spec:
  hosts: [backend.bench.local]
  location: MESH_EXTERNAL
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - address: 127.0.0.1
    ports: {http: $backend_port}
YAML
  for ((i = 0; i < n; i++)); do
    printf -- '---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-%04d, namespace: apps}\nspec:\n  selector: {app: backend}\n  ports: [{port: 80, name: http, targetPort: 8080}]\n' "$i"
  done >"$dir/services.yaml"
}

csv="$out/proxy-memory.csv"
echo "services,run,phase,rss_mib,peak_rss_mib,rss_anon_mib,rss_file_mib,heap_committed_mib,heap_used_mib,heap_live_mib,metaspace_used_mib,p50_ms,p99_ms,vcpu_per_1000rps" >"$csv"
proxy_opts_note="${PROXY_JAVA_OPTS-<launcher defaults>}"
for services in $services_list; do
  write_mesh "$work/mesh-$services" "$services"
  state="$work/state-$services"
  mkdir -p "$state"
  ZONEMESH_STATE_DIR="$state" ZONEMESH_JAVA_OPTS="$up_opts" $zonemesh_cmd up -f "$work/mesh-$services" --no-watch \
    >"$work/logs/up-$services.out" 2>&1 &
  up_pid=$!; pids+=($up_pid)
  for _ in $(seq 1 900); do
    [ -s "$state/mesh.json" ] && break
    kill -0 "$up_pid" 2>/dev/null || { cat "$work/logs/up-$services.out" >&2; exit 1; }
    sleep 0.2
  done
  [ -s "$state/mesh.json" ] || { echo "proxy-memory-bench: zonemesh up did not start" >&2; exit 1; }
  xds_port="$(jq -r .xdsPort "$state/mesh.json")"
  for run in $(seq 1 "$runs"); do
    port="$(free_port)"; admin="$(free_port)"
    if [ -n "${PROXY_JAVA_OPTS+set}" ]; then
      ZONEMESH_JAVA_OPTS="$PROXY_JAVA_OPTS" $zonemesh_cmd proxy --xds "127.0.0.1:$xds_port" --pod vm-0 -n bench \
        --owner vm --outbound "127.0.0.1:$port" --admin "127.0.0.1:$admin" >"$work/logs/proxy-$services-$run.out" 2>&1 &
    else
      env -u ZONEMESH_JAVA_OPTS $zonemesh_cmd proxy --xds "127.0.0.1:$xds_port" --pod vm-0 -n bench \
        --owner vm --outbound "127.0.0.1:$port" --admin "127.0.0.1:$admin" >"$work/logs/proxy-$services-$run.out" 2>&1 &
    fi
    proxy_pid=$!; pids+=($proxy_pid)
    wait_http "$port" backend.bench.local "proxy ($services services)" 600
    # Every service's cluster is in (the config is the one being measured).
    for _ in $(seq 1 300); do
      n="$(curl -s "http://127.0.0.1:$admin/clusters" | grep -o 'outbound|80||svc-[0-9]*' | sort -u | wc -l)"
      [ "$n" -ge "$services" ] && break
      sleep 0.2
    done
    sleep "$idle_seconds"
    nmt "$proxy_pid" "$out/nmt-$services-$run-idle.txt"
    idle="$(footprint "$proxy_pid")"
    echo "$services,$run,idle,$(echo "$idle" | tr ' ' ','),,," >>"$csv"
    java -Xms128m -Xmx128m -cp "$bench_jar" io.zonemesh.bench.load.LatencyBench \
      --target "proxy=127.0.0.1:$port,host=backend.bench.local" --cpu "proxy=$proxy_pid" \
      --rate "$rate" --duration "$load_seconds" --warmup 5 --runs 1 --connections 16 \
      --json "$out/load-$services-$run.json" >"$work/logs/load-$services-$run.txt" 2>&1
    nmt "$proxy_pid" "$out/nmt-$services-$run-load.txt"
    loaded="$(footprint "$proxy_pid")"
    lat="$(jq -r '.summary.proxy | "\(.p50_ms.median),\(.p99_ms.median),\(."vcpu_per_1000rps_proxy".median)"' "$out/load-$services-$run.json")"
    echo "$services,$run,load,$(echo "$loaded" | tr ' ' ','),$lat" >>"$csv"
    echo "services $services run $run: idle [rss hwm anon file heapCommitted heapUsed heapLive metaspace] $idle | at $rate rps $loaded; p50,p99,vCPU/1k $lat"
    kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
  done
  kill "$up_pid"; wait "$up_pid" 2>/dev/null || true
done

python3 - "$csv" "$proxy_opts_note" <<'PY' | tee "$out/summary.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("proxy JVM options:", sys.argv[2])
keys = ["rss_mib", "peak_rss_mib", "rss_anon_mib", "rss_file_mib", "heap_committed_mib", "heap_used_mib", "heap_live_mib", "metaspace_used_mib",
        "p50_ms", "p99_ms", "vcpu_per_1000rps"]
groups = {}
for r in rows:
    groups.setdefault((int(r["services"]), r["phase"]), []).append(r)
for (services, phase), rs in sorted(groups.items()):
    cells = []
    for k in keys:
        v = [float(r[k]) for r in rs if r[k] not in ("", "null")]
        if v:
            cells.append(f"{k} {statistics.median(v):.3g} ({min(v):.3g}-{max(v):.3g})")
    print(f"{services} services, {phase}, {len(rs)} runs: " + "; ".join(cells))
PY
echo "results: $csv; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
