#!/usr/bin/env bash
# Proxy throughput, latency and CPU, side by side in one run on loopback (issue 4):
# wrk against an nginx backend that answers a 1 KB body
#   direct | through the zonemesh proxy | through nginx as a reverse proxy | through HAProxy
# HTTP/1.1 keep-alive, connection counts 16, 64 and 256 (interleaved, so every ratio to
# direct comes from the same minute of the same machine). Reports requests/s, the ratio to
# direct, p50/p99 latency and the proxy's CPU seconds per 1,000 requests, read from
# /proc/<pid>/stat of the proxy's process tree.
#
# The zonemesh proxy is configured only through xDS: the script writes a small mesh (one
# meshed client Deployment and a STATIC ServiceEntry for the nginx backend) and runs
# `zonemesh up` on it; wrk then talks to the client sidecar's outbound port with the
# ServiceEntry's host as Host header, as an application using http_proxy would. That process
# also holds the (idle) control plane and the client's echo app, so its CPU is an upper bound.
#
# Installs nothing: it checks for wrk, nginx, haproxy (and jq, curl) and prints the apt-get line if one is
# missing. `mvn verify` runs it only as a smoke test (ScriptsSmokeTest: 1 s per point). Every run is bounded (wrk -d) and every server
# it starts is stopped on exit.
#
# With -m (two hops and mTLS) the targets are instead the two-hop paths of latency-bench.sh,
# through the same processes (bench-lib.sh; needs the benchmark jar and openssl):
#   direct | two-proxies (client sidecar -> server sidecar, plaintext) | two-proxies-mtls (the same
#   two sidecar JVMs, Istio mutual TLS between them) | haproxy-two | haproxy-two-tls (mutual TLS
#   between the two HAProxies); the CPU of a two-hop target is that of both of its processes.
# -m -p: the sidecars run BoringSSL and a second pair the JDK's engine (two-proxies-mtls-jdk).
#
# usage: proxy-bench.sh [-d SECONDS] [-w WARMUP_SECONDS] [-c "16 64 256"] [-t WRK_THREADS] [-m [-p]] [-o OUT_DIR]
#   ZONEMESH_CMD   how to run the CLI (default: <repo>/zonemesh, the launcher)
set -euo pipefail

duration=15
warmup=5
conns="16 64 256"
threads=2
out=""
mtls=""
providers=""
while getopts "d:w:c:t:o:mph" opt; do
  case "$opt" in
    d) duration="$OPTARG" ;;
    w) warmup="$OPTARG" ;;
    c) conns="$OPTARG" ;;
    t) threads="$OPTARG" ;;
    o) out="$OPTARG" ;;
    m) mtls=mtls ;;
    p) providers=jdk ;;
    *) sed -n '2,29p' "$0"; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=proxy-bench
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
bench_require wrk nginx haproxy jq curl python3 java
if [ -n "$mtls" ]; then
  bench_require openssl
  bench_require_jar "$bench_jar"
fi
bench_workdir "$out"
mkdir -p "$work/mesh" "$work/state"

# utime+stime clock ticks of the given processes and all their descendants.
cpu_ticks() {
  local total=0 p
  for p in $(for root in "$@"; do descendants "$root"; done); do
    if [ -r "/proc/$p/stat" ]; then
      # Fields after the command name (which may hold spaces): utime is 14, stime 15 overall.
      total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
    fi
  done
  echo "$total"
}

descendants() {
  echo "$1"
  local c
  for c in $(pgrep -P "$1" 2>/dev/null || true); do
    descendants "$c"
  done
}

host="backend.bench.local"
if [ -n "$mtls" ]; then
  backend_port="$(free_port)"
  bench_backend_conf "$work/backend.conf" "$backend_port"
  nginx -p "$work" -c "$work/backend.conf" >"$work/logs/backend.out" 2>&1 &
  pids+=($!); backend_pid=$!
  wait_http "$backend_port" x "nginx backend"
  bench_haproxy_start "$backend_port" tls
  bench_mesh_start "$backend_port" mtls "$providers"
  declare -A port_of=([direct]="$backend_port" [two-proxies]="$mesh_client_out" [two-proxies-mtls]="$mesh_client_out"
    [haproxy-two]="$hap_two" [haproxy-two-tls]="$hap_two_tls")
  declare -A host_of=([direct]="$host" [two-proxies]="$plain_host" [two-proxies-mtls]="$mtls_host"
    [haproxy-two]="$host" [haproxy-two-tls]="$host")
  declare -A pid_of=([direct]="$backend_pid" [two-proxies]="$mesh_client_pid $mesh_server_pid"
    [two-proxies-mtls]="$mesh_client_pid $mesh_server_pid" [haproxy-two]="$hap_client_pid $hap_server_pid"
    [haproxy-two-tls]="$hap_client_pid $hap_server_pid")
  targets="direct two-proxies two-proxies-mtls haproxy-two haproxy-two-tls"
  if [ -n "$providers" ]; then
    port_of[two-proxies-mtls-jdk]="$jdk_client_out"; host_of[two-proxies-mtls-jdk]="$jdk_host"
    pid_of[two-proxies-mtls-jdk]="$jdk_client_pid $jdk_server_pid"
    targets="direct two-proxies two-proxies-mtls two-proxies-mtls-jdk haproxy-two haproxy-two-tls"
  fi
else
body="$(head -c 1024 /dev/zero | tr '\0' 'x')"
backend_port="$(free_port)"
nginx_proxy_port="$(free_port)"
haproxy_port="$(free_port)"

cat >"$work/backend.conf" <<EOF
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
EOF

cat >"$work/nginx-proxy.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx-proxy.pid;
error_log $work/logs/nginx-proxy.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$backend_port; keepalive 512; }
  server {
    listen 127.0.0.1:$nginx_proxy_port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF

cat >"$work/haproxy.cfg" <<EOF
global
  nbthread 2
  maxconn 8192
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
frontend bench
  bind 127.0.0.1:$haproxy_port
  default_backend nginx
backend nginx
  http-reuse always
  server backend 127.0.0.1:$backend_port
EOF

cat >"$work/mesh/mesh.yaml" <<EOF
apiVersion: v1
kind: Node
metadata:
  name: bench-node
  labels: {topology.kubernetes.io/region: bench, topology.kubernetes.io/zone: az01}
---
apiVersion: v1
kind: Namespace
metadata: {name: bench, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: bench}
spec:
  replicas: 1
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec:
      containers: [{name: client, image: bench/wrk}]
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: backend, namespace: bench}
spec:
  hosts: [$host]
  location: MESH_EXTERNAL
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - address: 127.0.0.1
    ports: {http: $backend_port}
EOF

nginx -p "$work" -c "$work/backend.conf" >"$work/logs/backend.out" 2>&1 &
pids+=($!); backend_pid=$!
nginx -p "$work" -c "$work/nginx-proxy.conf" >"$work/logs/nginx-proxy.out" 2>&1 &
pids+=($!); nginx_pid=$!
haproxy -db -f "$work/haproxy.cfg" >"$work/logs/haproxy.out" 2>&1 &
pids+=($!); haproxy_pid=$!
ZONEMESH_STATE_DIR="$work/state" "$zonemesh_cmd" up -f "$work/mesh" --no-watch >"$work/logs/zonemesh.out" 2>&1 &
pids+=($!); zonemesh_pid=$!

wait_http "$backend_port" "$host" "nginx backend"
for _ in $(seq 1 600); do
  [ -s "$work/state/mesh.json" ] && break
  kill -0 "$zonemesh_pid" 2>/dev/null || { cat "$work/logs/zonemesh.out" >&2; exit 1; }
  sleep 0.2
done
[ -s "$work/state/mesh.json" ] || { echo "proxy-bench: zonemesh up did not start; see $work/logs" >&2; exit 1; }
zonemesh_port="$(jq -r '.proxies[] | select(.owner == "client") | .outboundPort' "$work/state/mesh.json")"
# The launcher may exec java or run it as a child: take the JVM that recorded the mesh.
zonemesh_jvm="$(jq -r '.pid' "$work/state/mesh.json")"
wait_http "$zonemesh_port" "$host" "zonemesh proxy"
wait_http "$nginx_proxy_port" "$host" "nginx proxy"
wait_http "$haproxy_port" "$host" "haproxy"

declare -A port_of=([direct]="$backend_port" [zonemesh]="$zonemesh_port" [nginx]="$nginx_proxy_port" [haproxy]="$haproxy_port")
declare -A host_of=([direct]="$host" [zonemesh]="$host" [nginx]="$host" [haproxy]="$host")
declare -A pid_of=([direct]="$backend_pid" [zonemesh]="$zonemesh_jvm" [nginx]="$nginx_pid" [haproxy]="$haproxy_pid")
targets="direct zonemesh nginx haproxy"
fi
hz="$(getconf CLK_TCK)"

# JIT warm-up of the JVM proxy (and of every other target's caches), not measured.
for t in $targets; do
  wrk -t "$threads" -c 64 -d "${warmup}s" -H "Host: ${host_of[$t]}" "http://127.0.0.1:${port_of[$t]}/" >/dev/null
done

# wrk prints latency as 1.23ms / 456.00us / 1.20s: normalise to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

csv="$out/proxy-bench.csv"
echo "connections,target,requests_per_s,ratio_to_direct,p50_ms,p99_ms,cpu_s_per_1k_requests,requests,errors" >"$csv"
printf "%-6s %-16s %12s %8s %9s %9s %14s\n" conns target "req/s" ratio "p50 ms" "p99 ms" "CPU s/1k req"
for c in $conns; do
  direct_rps=""
  for t in $targets; do
    # shellcheck disable=SC2086 # a two-hop target has two processes
    before="$(cpu_ticks ${pid_of[$t]})"
    result="$(wrk -t "$threads" -c "$c" -d "${duration}s" --latency -H "Host: ${host_of[$t]}" "http://127.0.0.1:${port_of[$t]}/")"
    # shellcheck disable=SC2086
    after="$(cpu_ticks ${pid_of[$t]})"
    echo "$result" >"$out/wrk-$t-$c.txt"
    rps="$(echo "$result" | awk '/^Requests\/sec:/ {print $2}')"
    requests="$(echo "$result" | awk '/requests in/ {print $1}')"
    errors="$(echo "$result" | awk '/Non-2xx|Socket errors/ {s = s $0 "; "} END {print s}')"
    p50="$(to_ms "$(echo "$result" | awk '$1 == "50%" {print $2}')")"
    p99="$(to_ms "$(echo "$result" | awk '$1 == "99%" {print $2}')")"
    [ "$t" = direct ] && direct_rps="$rps"
    ratio="$(awk -v a="$rps" -v b="$direct_rps" 'BEGIN { printf "%.2f", a / b }')"
    cpu="$(awk -v d="$((after - before))" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.4f", d / hz / n * 1000 }')"
    printf "%-6s %-16s %12s %8s %9s %9s %14s %s\n" "$c" "$t" "$rps" "${ratio}x" "$p50" "$p99" "$cpu" "$errors"
    echo "$c,$t,$rps,$ratio,$p50,$p99,$cpu,$requests,\"$errors\"" >>"$csv"
  done
done
echo "results: $csv (raw wrk output beside it); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
