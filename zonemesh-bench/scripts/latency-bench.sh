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
# With -m (mTLS) also, through the same two sidecar JVMs and HAProxies:
#   two-proxies-mtls  the sidecars talk Istio mutual TLS (the mesh has a CA; two-proxies stays
#                     plaintext through a second service with a tls DISABLE DestinationRule)
#   haproxy-two-tls   the HAProxies talk mutual TLS (certificates made with openssl)
# With -m -p the sidecars above run BoringSSL (-Dzonemesh.tls.provider=openssl) and a second pair
# of sidecar JVMs the JDK's TLS engine:
#   two-proxies-mtls-jdk  client-1 -(mTLS, JDK engine)-> server-1 -> nginx
# and the mTLS path is checked first ($out/mtls-check.txt: the server sidecar's SPIFFE certificate,
# the x-forwarded-client-cert nginx receives).
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
#                         [-c CONNECTIONS] [-m [-p]] [-o OUT_DIR]
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
mtls=""
providers=""
while getopts "r:d:w:f:n:c:o:mph" opt; do
  case "$opt" in
    r) rate="$OPTARG" ;;
    d) duration="$OPTARG" ;;
    w) warmup="$OPTARG" ;;
    f) first_warmup="$OPTARG" ;;
    n) rounds="$OPTARG" ;;
    c) connections="$OPTARG" ;;
    o) out="$OPTARG" ;;
    m) mtls=mtls ;;
    p) providers=jdk ;;
    *) sed -n '2,37p' "$0"; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=latency-bench
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
bench_require nginx curl jq python3 java
[ -z "$mtls" ] || bench_require openssl
bench_require_jar "$bench_jar"
bench_workdir "$out"

backend_port="$(free_port)"
bench_backend_conf "$work/backend.conf" "$backend_port"
nginx -p "$work" -c "$work/backend.conf" >"$work/logs/backend.out" 2>&1 &
pids+=($!)
wait_http "$backend_port" x "nginx backend"

haproxy_targets=()
if command -v haproxy >/dev/null 2>&1; then
  bench_haproxy_start "$backend_port" "${mtls:+tls}"
  haproxy_targets=(--target "haproxy-one=127.0.0.1:$hap_one" --target "haproxy-two=127.0.0.1:$hap_two")
  [ -z "$hap_two_tls" ] || haproxy_targets+=(--target "haproxy-two-tls=127.0.0.1:$hap_two_tls")
  haproxy_targets+=(--cpu "haproxy-server=$hap_server_pid" --cpu "haproxy-client=$hap_client_pid")
else
  echo "latency-bench: haproxy not installed (apt-get install -y haproxy): measuring without the HAProxy anchor" >&2
fi

bench_mesh_start "$backend_port" "$mtls" "$providers"
client_out="$mesh_client_out"; client_pid="$mesh_client_pid"; server_pid="$mesh_server_pid"
mesh_targets=(--target "one-proxy=127.0.0.1:$client_out,host=$external_host"
  --target "two-proxies=127.0.0.1:$client_out,host=$plain_host")
[ -z "$mtls" ] || mesh_targets+=(--target "two-proxies-mtls=127.0.0.1:$client_out,host=$mtls_host")
if [ -n "$mtls" ] && [ -n "$providers" ]; then
  mesh_targets+=(--target "two-proxies-mtls-jdk=127.0.0.1:$jdk_client_out,host=$jdk_host"
    --cpu "client-proxy-jdk=$jdk_client_pid" --cpu "server-proxy-jdk=$jdk_server_pid")
fi

echo "proxies: client pid $client_pid, server pid $server_pid; JVM options: $(tr '\0' ' ' </proc/$client_pid/cmdline)" \
  | tee "$out/setup.txt"
java -Xms256m -Xmx256m -cp "$bench_jar" io.zonemesh.bench.load.LatencyBench \
  --target "direct=127.0.0.1:$backend_port" \
  "${mesh_targets[@]}" \
  --cpu "client-proxy=$client_pid" --cpu "server-proxy=$server_pid" "${haproxy_targets[@]}" \
  --rate "$rate" --duration "$duration" --warmup "$warmup" --first-warmup "$first_warmup" --runs "$rounds" --connections "$connections" \
  --json "$out/latency.json" 2>"$out/latency.log" | tee "$out/latency.txt"
for p in client:$client_pid server:$server_pid; do
  echo "${p%%:*}-proxy after the run: $(grep -E 'VmRSS|VmHWM' /proc/${p#*:}/status | tr -s ' \n' ' ')" | tee -a "$out/latency.txt"
done
echo "results: $out/latency.json; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" \
  | tee -a "$out/latency.txt"
