#!/usr/bin/env bash
# Idle-connection flood (issue 8: ~20,000 connections that send nothing killed a 64 MB sidecar for
# good). One standalone `zonemesh proxy` with the launcher's JVM options (-Xmx64m, two event
# loops) joins a `zonemesh up` control plane whose mesh routes backend.bench.local to a local
# HTTP server. IdleFlood.java (two client processes, as one process may hold only `ulimit -n`
# sockets) then opens CONNECTIONS connections to the outbound listener that never send a byte.
#
# Reported: the proxy's RSS before, at its peak and after (VmRSS/VmHWM), its live heap after a
# GC, its open sockets at the peak; per client how many connections were established, answered
# (503 "envoy overloaded" past the listener's connection limit) and closed by the proxy, and
# after how long; a request through the proxy once a second during the flood (timeline.txt) and
# after it; /ready. histogram-held.txt: the heap's top classes with the most connections open.
#
# usage: idle-flood-bench.sh [-c CONNECTIONS] [-m MAX_CONNECTIONS] [-t HEADERS_TIMEOUT] [-o OUT_DIR]
#   -c  connections to open (default 20000), split over two client processes
#   -m  the proxy's --max-connections (default: the proxy's default, 10000)
#   -t  the proxy's --request-headers-timeout, ISO-8601 (default: the proxy's default, PT10S)
#   ZONEMESH_CMD  how to run the CLI (default: <repo>/zonemesh, the launcher)
set -euo pipefail

connections=20000
max_connections=""
headers_timeout=""
out=""
while getopts "c:m:t:o:h" opt; do
  case "$opt" in
    c) connections="$OPTARG" ;;
    m) max_connections="$OPTARG" ;;
    t) headers_timeout="$OPTARG" ;;
    o) out="$OPTARG" ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=idle-flood-bench
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
bench_require curl jq python3 java jcmd
bench_workdir "$out"

backend_port="$(free_port)"
mkdir -p "$work/www" && echo ok >"$work/www/index.html"
python3 -m http.server "$backend_port" --bind 127.0.0.1 --directory "$work/www" >"$work/logs/backend.out" 2>&1 &
pids+=($!)
wait_http "$backend_port" x "backend" 300

mkdir -p "$work/mesh"
cat >"$work/mesh/mesh.yaml" <<YAML
apiVersion: v1
kind: Node
metadata: {name: bench-node, labels: {topology.kubernetes.io/region: bench, topology.kubernetes.io/zone: az01}}
---
apiVersion: v1
kind: Namespace
metadata: {name: bench, labels: {istio-injection: enabled}}
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
state="$work/state"
mkdir -p "$state"
ZONEMESH_STATE_DIR="$state" ZONEMESH_JAVA_OPTS="-Xmx512m" $zonemesh_cmd up -f "$work/mesh" --no-watch \
  >"$work/logs/up.out" 2>&1 &
up_pid=$!; pids+=($up_pid)
for _ in $(seq 1 900); do
  [ -s "$state/mesh.json" ] && break
  kill -0 "$up_pid" 2>/dev/null || { cat "$work/logs/up.out" >&2; exit 1; }
  sleep 0.2
done
xds_port="$(jq -r .xdsPort "$state/mesh.json")"

port="$(free_port)"; admin="$(free_port)"
extra=()
[ -n "$max_connections" ] && extra+=(--max-connections "$max_connections")
[ -n "$headers_timeout" ] && extra+=(--request-headers-timeout "$headers_timeout")
env -u ZONEMESH_JAVA_OPTS $zonemesh_cmd proxy --xds "127.0.0.1:$xds_port" --pod vm-0 -n bench --owner vm \
  --outbound "127.0.0.1:$port" --admin "127.0.0.1:$admin" "${extra[@]}" >"$work/logs/proxy.out" 2>&1 &
proxy_pid=$!; pids+=($proxy_pid)
wait_http "$port" backend.bench.local "proxy" 600
# The launcher execs java, so $proxy_pid is the JVM.
rss() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$proxy_pid/status"; }
hwm() { awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$proxy_pid/status"; }
# find fails when a socket closes while it lists them: the count is still right enough.
sockets() { { find "/proc/$proxy_pid/fd" -lname 'socket:*' 2>/dev/null || true; } | wc -l; }
through_proxy() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' -x "http://127.0.0.1:$port" http://backend.bench.local/ || true
}
live_heap() {
  jcmd "$proxy_pid" GC.run >/dev/null 2>&1 || true
  jcmd "$proxy_pid" GC.heap_info 2>/dev/null | awk '/total [0-9]+K, used [0-9]+K/ && !/Metaspace|class space/ {
      for (i = 1; i <= NF; i++) if ($i == "used") u += $(i+1) + 0 } END { printf "%.1f", u / 1024 }'
}

summary="$out/summary.txt"
{
  echo "proxy options: ${extra[*]:-<defaults>}; launcher JVM options; $connections idle connections"
  echo "before: rss $(rss) MiB, live heap $(live_heap) MiB, sockets $(sockets)"
} | tee "$summary"

half=$((connections / 2))
java "$here/IdleFlood.java" 127.0.0.1 "$port" "$half" 40 >"$out/client-1.txt" 2>&1 &
c1=$!; pids+=($c1)
java "$here/IdleFlood.java" 127.0.0.1 "$port" "$((connections - half))" 40 >"$out/client-2.txt" 2>&1 &
c2=$!; pids+=($c2)
peak_sockets=0
served_again=""
held_sockets=0
held_heap=""
# About once a second (t: seconds since the clients started): the proxy's sockets and RSS, and a
# request through it (5 s timeout: 000 when the listen backlog is full of the flood's connects).
flood_start=$SECONDS
for i in $(seq 1 45); do
  t=$((SECONDS - flood_start))
  s="$(sockets)"
  [ "$s" -gt "$peak_sockets" ] && peak_sockets="$s"
  code="$(through_proxy)"
  echo "t=${t}s sockets=$s rss=$(rss)MiB request=$code" >>"$out/timeline.txt"
  [ -z "$served_again" ] && [ "$code" = 200 ] && [ "$i" -gt 1 ] && served_again="$t"
  if [ "$s" -gt "$held_sockets" ] && [ "$t" -le 8 ]; then
    held_sockets="$s"; held_heap="$(live_heap)"
    jcmd "$proxy_pid" GC.class_histogram 2>/dev/null | head -45 >"$out/histogram-held.txt" || true
  fi
  kill -0 "$c1" 2>/dev/null || kill -0 "$c2" 2>/dev/null || break
  sleep 1
done
wait "$c1" "$c2" 2>/dev/null || true
after="$(through_proxy)"
ready="$(curl -s -m 5 "http://127.0.0.1:$admin/ready" || true)"
alive="$(kill -0 "$proxy_pid" 2>/dev/null && echo yes || echo no)"
{
  echo "client 1: $(tail -1 "$out/client-1.txt")"
  echo "client 2: $(tail -1 "$out/client-2.txt")"
  echo "peak: rss $(hwm) MiB (VmHWM), sockets $peak_sockets; live heap with $held_sockets sockets open: $held_heap MiB"
  echo "requests through the proxy during the flood: $(cut -d' ' -f4 "$out/timeline.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ';'); first 200 at t=${served_again:-never}s; after it: $after"
  echo "after: rss $(rss) MiB, live heap $(live_heap) MiB, sockets $(sockets), process alive $alive, /ready $ready"
  echo "OutOfMemoryError lines in the proxy log: $(grep -c OutOfMemoryError "$work/logs/proxy.out" || true)"
} | tee -a "$summary"
