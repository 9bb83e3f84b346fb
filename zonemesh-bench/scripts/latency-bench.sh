#!/usr/bin/env bash
# Fixed-rate added latency through two proxies, the way Istio measures it (issue 4):
# an open-loop sender (io.zonemesh.bench.load.LatencyBench: wrk2-style fixed schedule, latency
# from each request's intended send time, HdrHistogram) at RATE requests/s, HTTP/1.1 keep-alive,
# against an nginx backend answering 1 KB, in the same run:
#   direct       sender -> nginx
#   one-proxy    sender -> client sidecar (outbound) -> nginx            (a STATIC ServiceEntry)
#   two-proxies  sender -> client sidecar (outbound) -> server sidecar (inbound) -> nginx
#   haproxy-one  sender -> HAProxy -> nginx                 (the anchor, when haproxy is installed)
#   haproxy-two  sender -> HAProxy -> HAProxy -> nginx
# Added latency = target percentile - direct percentile of the same round. Also the CPU
# (utime+stime from /proc) of each proxy process during each measurement, as vCPU per 1,000 rps.
#
# Each sidecar is its own `zonemesh proxy` JVM, configured only over xDS by
# io.zonemesh.bench.load.FixedAddressMesh: a control plane (same ControlPlane and registry as
# `zonemesh up`) for a two-pod mesh whose server pod's application is the nginx (the inbound
# cluster forwards there) and whose endpoint is the server sidecar's inbound listener. `zonemesh
# up` cannot do this: it runs its own echo app behind every sidecar.
#
# Installs nothing (checks for nginx, curl, jq, python3, java; haproxy is optional). Every run is bounded and every
# process it starts is stopped on exit. `mvn verify` runs it only as a smoke test (ScriptsSmokeTest).
#
# usage: latency-bench.sh [-r RATE] [-d SECONDS] [-w WARMUP_SECONDS] [-f FIRST_WARMUP_SECONDS] [-n ROUNDS]
#                         [-c CONNECTIONS] [-o OUT_DIR]
#   ZONEMESH_CMD        how to run the CLI (default: <repo>/zonemesh, the launcher)
#   ZONEMESH_JAVA_OPTS  JVM options of the two proxies (default: the launcher's for `proxy`)
#   BENCH_JAR           default: <repo>/zonemesh-bench/target/benchmarks.jar
set -euo pipefail

rate=1000
duration=20
warmup=5
first_warmup=30
rounds=3
connections=16
out=""
while getopts "r:d:w:f:n:c:o:h" opt; do
  case "$opt" in
    r) rate="$OPTARG" ;;
    d) duration="$OPTARG" ;;
    w) warmup="$OPTARG" ;;
    f) first_warmup="$OPTARG" ;;
    n) rounds="$OPTARG" ;;
    c) connections="$OPTARG" ;;
    o) out="$OPTARG" ;;
    *) sed -n '2,27p' "$0"; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=latency-bench
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
bench_require nginx curl jq python3 java
bench_require_jar "$bench_jar"
bench_workdir "$out"

body="$(head -c 1024 /dev/zero | tr '\0' 'x')"
backend_port="$(free_port)"
server_in="$(free_port)"; server_out="$(free_port)"; server_admin="$(free_port)"
client_out="$(free_port)"; client_admin="$(free_port)"
hap_client_one="$(free_port)"; hap_client_two="$(free_port)"; hap_server="$(free_port)"
server_host="server.bench.svc.cluster.local"
external_host="backend.bench.local"

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

cat >"$work/mesh.yaml" <<YAML
apiVersion: v1
kind: Node
metadata: {name: bench-node, labels: {topology.kubernetes.io/region: bench, topology.kubernetes.io/zone: az01}}
---
apiVersion: v1
kind: Namespace
metadata: {name: bench, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: client-0, namespace: bench, labels: {app: client}}
spec:
  nodeName: bench-node
  containers: [{name: client, image: bench/sender}]
---
apiVersion: v1
kind: Pod
metadata: {name: server-0, namespace: bench, labels: {app: server}}
spec:
  nodeName: bench-node
  containers: [{name: server, image: nginx, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: server, namespace: bench}
spec:
  selector: {app: server}
  ports: [{port: 80, name: http, targetPort: 8080}]
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: backend, namespace: bench}
spec:
  hosts: [$external_host]
  location: MESH_EXTERNAL
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - address: 127.0.0.1
    ports: {http: $backend_port}
YAML

# The same two hops through HAProxy, for an anchor measured in the same run: a "client" HAProxy
# (to nginx directly, or to the "server" HAProxy) and a "server" HAProxy (to nginx), each with
# 2 threads and kept-alive upstream connections, as proxy-bench.sh runs it.
haproxy_conf() {
  cat <<CONF
global
  nbthread 2
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
CONF
}
haproxy_pids=()
if command -v haproxy >/dev/null 2>&1; then
  { haproxy_conf; cat <<CONF
frontend one
  bind 127.0.0.1:$hap_client_one
  default_backend nginx
frontend two
  bind 127.0.0.1:$hap_client_two
  default_backend server
backend nginx
  server nginx 127.0.0.1:$backend_port
backend server
  server server 127.0.0.1:$hap_server
CONF
  } >"$work/haproxy-client.cfg"
  { haproxy_conf; cat <<CONF
frontend inbound
  bind 127.0.0.1:$hap_server
  default_backend nginx
backend nginx
  server nginx 127.0.0.1:$backend_port
CONF
  } >"$work/haproxy-server.cfg"
  haproxy -db -f "$work/haproxy-server.cfg" >"$work/logs/haproxy-server.out" 2>&1 &
  pids+=($!); haproxy_pids+=("--cpu" "haproxy-server=$!")
  haproxy -db -f "$work/haproxy-client.cfg" >"$work/logs/haproxy-client.out" 2>&1 &
  pids+=($!); haproxy_pids+=("--cpu" "haproxy-client=$!")
else
  echo "latency-bench: haproxy not installed (apt-get install -y haproxy): measuring without the HAProxy anchor" >&2
fi

nginx -p "$work" -c "$work/backend.conf" >"$work/logs/backend.out" 2>&1 &
pids+=($!)
java -Xmx256m -cp "$bench_jar" io.zonemesh.bench.load.FixedAddressMesh -f "$work/mesh.yaml" \
  --endpoint "bench/server-0=127.0.0.1:$server_in" --app "bench/server-0=127.0.0.1:$backend_port" \
  --state "$work/cp.json" >"$work/logs/control-plane.out" 2>&1 &
pids+=($!); cp_pid=$!
for _ in $(seq 1 300); do
  [ -s "$work/cp.json" ] && break
  kill -0 "$cp_pid" 2>/dev/null || { cat "$work/logs/control-plane.out" >&2; exit 1; }
  sleep 0.2
done
[ -s "$work/cp.json" ] || { echo "latency-bench: control plane did not start; see $work/logs" >&2; exit 1; }
xds_port="$(jq -r .xdsPort "$work/cp.json")"

# $zonemesh_cmd execs java, so $! is the proxy's JVM.
$zonemesh_cmd proxy --xds "127.0.0.1:$xds_port" --pod server-0 -n bench --owner server-0 \
  --inbound "127.0.0.1:$server_in" --outbound "127.0.0.1:$server_out" --admin "127.0.0.1:$server_admin" \
  >"$work/logs/server-proxy.out" 2>&1 &
pids+=($!); server_pid=$!
$zonemesh_cmd proxy --xds "127.0.0.1:$xds_port" --pod client-0 -n bench --owner client-0 \
  --outbound "127.0.0.1:$client_out" --admin "127.0.0.1:$client_admin" \
  >"$work/logs/client-proxy.out" 2>&1 &
pids+=($!); client_pid=$!

wait_http "$backend_port" x "nginx backend"
wait_http "$client_out" "$external_host" "client sidecar -> nginx"
wait_http "$client_out" "$server_host" "client sidecar -> server sidecar -> nginx"
size="$(curl -s -H "Host: $server_host" "http://127.0.0.1:$client_out/" | wc -c)"
[ "$size" = 1024 ] || { echo "latency-bench: expected a 1024-byte body through both proxies, got $size" >&2; exit 1; }
haproxy_targets=()
if [ "${#haproxy_pids[@]}" -gt 0 ]; then
  wait_http "$hap_client_two" x "HAProxy -> HAProxy -> nginx"
  haproxy_targets=(--target "haproxy-one=127.0.0.1:$hap_client_one" --target "haproxy-two=127.0.0.1:$hap_client_two"
    "${haproxy_pids[@]}")
fi

echo "proxies: client pid $client_pid, server pid $server_pid; JVM options: $(tr '\0' ' ' </proc/$client_pid/cmdline)" \
  | tee "$out/setup.txt"
java -Xms256m -Xmx256m -cp "$bench_jar" io.zonemesh.bench.load.LatencyBench \
  --target "direct=127.0.0.1:$backend_port" \
  --target "one-proxy=127.0.0.1:$client_out,host=$external_host" \
  --target "two-proxies=127.0.0.1:$client_out,host=$server_host" \
  --cpu "client-proxy=$client_pid" --cpu "server-proxy=$server_pid" "${haproxy_targets[@]}" \
  --rate "$rate" --duration "$duration" --warmup "$warmup" --first-warmup "$first_warmup" --runs "$rounds" --connections "$connections" \
  --json "$out/latency.json" 2>"$out/latency.log" | tee "$out/latency.txt"
for p in client:$client_pid server:$server_pid; do
  echo "${p%%:*}-proxy after the run: $(grep -E 'VmRSS|VmHWM' /proc/${p#*:}/status | tr -s ' \n' ' ')" | tee -a "$out/latency.txt"
done
echo "results: $out/latency.json; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" \
  | tee -a "$out/latency.txt"
