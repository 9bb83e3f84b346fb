# Shared helpers of the load scripts (sourced, not run). Each script sets `here` (its directory)
# and `bench` (its name, for messages) before sourcing this file, which sets:
#   repo          the repository root
#   zonemesh_cmd  how to run the CLI: $ZONEMESH_CMD, or the repository's launcher
#   bench_jar     $BENCH_JAR (a jar or a classpath), or zonemesh-bench/target/benchmarks.jar
# shellcheck shell=bash

repo="$(cd "$here/../.." && pwd)"
zonemesh_cmd="${ZONEMESH_CMD:-$repo/zonemesh}"
bench_jar="${BENCH_JAR:-$repo/zonemesh-bench/target/benchmarks.jar}"

# Exits 2 naming what is missing (and how to install it) unless every tool given is on the PATH.
bench_require() {
  local missing=() tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "$bench: missing ${missing[*]}; install with: apt-get update && apt-get install -y ${missing[*]}" >&2
    echo "  (java and jcmd come with a JDK)" >&2
    exit 2
  fi
}

# Exits 2 unless the benchmark jar is there. A BENCH_JAR given by the caller is used as it is
# (a jar or a whole classpath, as the smoke test passes its own).
bench_require_jar() {
  [ -n "${BENCH_JAR:-}" ] && return 0
  [ -f "$1" ] || {
    echo "$bench: $1 missing; build it: mvn -B -pl zonemesh-bench -am package -DskipTests" >&2
    exit 2
  }
}

# Sets `work` (a new temporary directory with logs/), `out` (the given one or work/results) and
# `pids` (processes stopped, then waited for, on exit).
bench_workdir() {
  work="$(mktemp -d "/tmp/zonemesh-$bench.XXXXXX")"
  out="${1:-$work/results}"
  mkdir -p "$out" "$work/logs"
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
}

# A free loopback port: the kernel picks it (bind to 0), then the server binds it again.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until GET / with Host $2 on port $1 answers 200, at most $4 tries 0.2 s apart (default
# 300: 60 s); otherwise prints the logs' tails and exits 1.
wait_http() {
  local port="$1" host="$2" what="$3" tries="${4:-300}"
  for _ in $(seq 1 "$tries"); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" "http://127.0.0.1:$port/" 2>/dev/null)" = 200 ]; then
      return 0
    fi
    sleep 0.2
  done
  echo "$bench: $what on port $port never answered 200; logs in $work/logs" >&2
  tail -20 "$work"/logs/* >&2 2>/dev/null || true
  exit 1
}

# nginx answering every request with a 1 KB body on 127.0.0.1:$2, config file $1; /xfcc answers
# the request's x-forwarded-client-cert header instead (empty without one), for the mTLS check.
bench_backend_conf() {
  local body
  body="$(head -c 1024 /dev/zero | tr '\0' 'x')"
  cat >"$1" <<CONF
worker_processes 1;
daemon off;
pid $work/backend.pid;
error_log $work/logs/backend.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$2;
    location / { default_type text/plain; return 200 "$body"; }
    location = /xfcc { default_type text/plain; return 200 "\$http_x_forwarded_client_cert"; }
  }
}
CONF
}

# The two-proxy mesh: a control plane (io.zonemesh.bench.load.FixedAddressMesh) for a client pod
# and a server pod whose application is the nginx on port $1, and one `zonemesh proxy` JVM per pod:
#   sender -> client sidecar (outbound) -> server sidecar (inbound) -> nginx
# With $2 = mtls the mesh has a CA (FixedAddressMesh --mtls): each sidecar gets a SPIFFE
# certificate with its pod's bootstrap token, as in `zonemesh up`, and the same two JVMs carry two
# services of the server pod: `server` with auto mutual TLS (Istio mTLS between the sidecars) and
# `server-plain`, whose DestinationRule says tls DISABLE (plaintext), so both paths are measured
# through the same processes. Without it the mesh has no CA and `server` is plaintext.
# With $3 = jdk (and mtls) these two sidecars run BoringSSL (-Dzonemesh.tls.provider=openssl) and a
# second pair (client-1 -> server-1, service `server-jdk`) the JDK's TLS engine, to compare both in
# one run; it sets jdk_client_out, jdk_client_pid, jdk_server_pid and jdk_host.
# Sets: mesh_client_out, mesh_client_pid, mesh_server_pid, mesh_server_in, plain_host, mtls_host
# (empty without mtls), external_host (a STATIC ServiceEntry to the nginx: one proxy).
bench_mesh_start() {
  local backend_port="$1" mode="${2:-}" providers="${3:-}"
  mesh_server_in="$(free_port)"; mesh_client_out="$(free_port)"
  external_host="backend.bench.local"
  mtls_host=""; plain_host="server.bench.svc.cluster.local"
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
  local mtls_args=()
  if [ "$mode" = mtls ]; then
    mtls_host="server.bench.svc.cluster.local"; plain_host="server-plain.bench.svc.cluster.local"
    cat >>"$work/mesh.yaml" <<YAML
---
apiVersion: v1
kind: Service
metadata: {name: server-plain, namespace: bench}
spec:
  selector: {app: server}
  ports: [{port: 80, name: http, targetPort: 8080}]
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: server-plain, namespace: bench}
spec:
  host: $plain_host
  trafficPolicy: {tls: {mode: DISABLE}}
YAML
    mtls_args=(--mtls "$work/ca")
  fi
  local jdk_in=""
  if [ "$mode" = mtls ] && [ "$providers" = jdk ]; then
    jdk_host="server-jdk.bench.svc.cluster.local"; jdk_in="$(free_port)"
    cat >>"$work/mesh.yaml" <<YAML
---
apiVersion: v1
kind: Pod
metadata: {name: client-1, namespace: bench, labels: {app: client-jdk}}
spec:
  nodeName: bench-node
  containers: [{name: client, image: bench/sender}]
---
apiVersion: v1
kind: Pod
metadata: {name: server-1, namespace: bench, labels: {app: server-jdk}}
spec:
  nodeName: bench-node
  containers: [{name: server, image: nginx, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: server-jdk, namespace: bench}
spec:
  selector: {app: server-jdk}
  ports: [{port: 80, name: http, targetPort: 8080}]
YAML
    mtls_args+=(--endpoint "bench/server-1=127.0.0.1:$jdk_in" --app "bench/server-1=127.0.0.1:$backend_port")
  fi
  java -Xmx256m -cp "$bench_jar" io.zonemesh.bench.load.FixedAddressMesh -f "$work/mesh.yaml" \
    --endpoint "bench/server-0=127.0.0.1:$mesh_server_in" --app "bench/server-0=127.0.0.1:$backend_port" \
    "${mtls_args[@]}" --state "$work/cp.json" >"$work/logs/control-plane.out" 2>&1 &
  pids+=($!)
  local cp_pid=$!
  for _ in $(seq 1 300); do
    [ -s "$work/cp.json" ] && break
    kill -0 "$cp_pid" 2>/dev/null || { cat "$work/logs/control-plane.out" >&2; exit 1; }
    sleep 0.2
  done
  [ -s "$work/cp.json" ] || { echo "$bench: control plane did not start; see $work/logs" >&2; exit 1; }
  local xds_port ca_port
  xds_port="$(jq -r .xdsPort "$work/cp.json")"
  ca_port="$(jq -r .caPort "$work/cp.json")"
  local tls_opts=""
  [ "$providers" = jdk ] && tls_opts="-Dzonemesh.tls.provider=openssl"
  bench_sidecar_pair 0 "$xds_port" "$mode" "$ca_port" "$mesh_server_in" "$mesh_client_out" "$tls_opts"
  mesh_server_pid="$pair_server_pid"; mesh_client_pid="$pair_client_pid"
  if [ -n "$jdk_in" ]; then
    jdk_client_out="$(free_port)"
    bench_sidecar_pair 1 "$xds_port" "$mode" "$ca_port" "$jdk_in" "$jdk_client_out" "-Dzonemesh.tls.provider=jdk"
    jdk_server_pid="$pair_server_pid"; jdk_client_pid="$pair_client_pid"
  fi

  wait_http "$mesh_client_out" "$plain_host" "client sidecar -> server sidecar -> nginx"
  local size
  size="$(curl -s -H "Host: $plain_host" "http://127.0.0.1:$mesh_client_out/" | wc -c)"
  [ "$size" = 1024 ] || { echo "$bench: expected a 1024-byte body through both proxies, got $size" >&2; exit 1; }
  [ "$mode" = mtls ] && bench_mesh_check_mtls "$mesh_client_out" "$mtls_host" "$mesh_server_in"
  [ -z "$jdk_in" ] || bench_mesh_check_mtls "$jdk_client_out" "$jdk_host" "$jdk_in"
  return 0
}

# Starts the sidecars of pods server-$1 (inbound 127.0.0.1:$5) and client-$1 (outbound
# 127.0.0.1:$6) against the xDS port $2; with $3 = mtls their CA flags (CA port $4); $7 extra JVM
# options (JAVA_TOOL_OPTIONS, so the launcher keeps its own). Sets pair_server_pid, pair_client_pid.
bench_sidecar_pair() {
  local n="$1" xds_port="$2" mode="$3" ca_port="$4" inbound="$5" outbound="$6" opts="$7" role ca_flags
  for role in server client; do
    ca_flags=""
    [ "$mode" = mtls ] && ca_flags="--ca-address 127.0.0.1:$ca_port --ca-root-cert $work/ca/root-cert.pem
      --ca-server-name istiod.istio-system.svc --token-file $work/ca/bench.$role-$n.token"
    local listen=(--outbound "127.0.0.1:$outbound")
    [ "$role" = server ] && listen=(--inbound "127.0.0.1:$inbound" --outbound "127.0.0.1:$(free_port)")
    # $zonemesh_cmd execs java, so $! is the proxy's JVM. The CA flags are words (mktemp -d paths).
    # shellcheck disable=SC2086
    JAVA_TOOL_OPTIONS="$opts" $zonemesh_cmd proxy --xds "127.0.0.1:$xds_port" --pod "$role-$n" -n bench \
      --owner "$role-$n" "${listen[@]}" --admin "127.0.0.1:$(free_port)" $ca_flags \
      >"$work/logs/$role-proxy-$n.out" 2>&1 &
    pids+=($!)
    if [ "$role" = server ]; then pair_server_pid=$!; else pair_client_pid=$!; fi
  done
}

# Proof that the mTLS path is mutual TLS (written to $out/mtls-check.txt): the server sidecar
# presents its SPIFFE certificate on its inbound port, and the nginx behind it sees the
# x-forwarded-client-cert that only a server sidecar which verified the client's certificate sets
# (Envoy's SANITIZE_SET on the sidecar inbound); over the plaintext service it sees none.
# $1: the client sidecar's outbound port, $2: the mTLS host, $3: the server sidecar's inbound port.
bench_mesh_check_mtls() {
  local client_out="$1" host="$2" server_in="$3" xfcc plain san
  wait_http "$client_out" "$host" "client sidecar -(mTLS)-> server sidecar -> nginx"
  xfcc="$(curl -s -H "Host: $host" "http://127.0.0.1:$client_out/xfcc")"
  plain="$(curl -s -H "Host: $plain_host" "http://127.0.0.1:$mesh_client_out/xfcc")"
  # No SNI: the JDK's TLS engine refuses Istio's outbound_.80_._.<host> (an underscore is not a
  # host name) with illegal_parameter, and zonemesh's client, on the same engine, sends none.
  san="$(openssl s_client -connect "127.0.0.1:$server_in" -alpn istio-peer-exchange,istio -noservername \
    </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName 2>/dev/null || true)"
  {
    echo "x-forwarded-client-cert at nginx via $host: $xfcc"
    echo "x-forwarded-client-cert at nginx via $plain_host: ${plain:-<none>}"
    echo "server sidecar's certificate on its inbound port $server_in: $(echo "$san" | tr -s ' \n' ' ')"
  } | tee -a "$out/mtls-check.txt"
  case "$xfcc" in
    *URI=spiffe://cluster.local/ns/bench/sa/default*) ;;
    *) echo "$bench: the mTLS path carried no verified client certificate" >&2; exit 1 ;;
  esac
  [ -z "$plain" ] || { echo "$bench: the plaintext path carried a client certificate" >&2; exit 1; }
  case "$san" in
    *URI:spiffe://cluster.local/ns/bench/sa/default*) ;;
    *) echo "$bench: the server sidecar's inbound port showed no SPIFFE certificate" >&2; exit 1 ;;
  esac
}

# The same two hops through HAProxy (2 threads each, kept-alive upstream connections, as
# proxy-bench.sh runs it), to the nginx on port $1:
#   haproxy-one      sender -> HAProxy -> nginx
#   haproxy-two      sender -> HAProxy -> HAProxy -> nginx
#   haproxy-two-tls  (with $2 = tls) the same, the hop between the two HAProxies mutual TLS as the
#                    mesh's: ECDSA P-256 certificates of one root made here with openssl, the client
#                    HAProxy presenting its certificate and verifying the server's (ca-file,
#                    verifyhost), the server HAProxy requiring and verifying the client's.
# Sets hap_one, hap_two, hap_two_tls (ports; hap_two_tls empty without tls), hap_client_pid and
# hap_server_pid.
bench_haproxy_start() {
  local backend_port="$1" mode="${2:-}" hap_server hap_server_tls tls_frontend="" tls_backend=""
  hap_one="$(free_port)"; hap_two="$(free_port)"; hap_server="$(free_port)"; hap_two_tls=""
  if [ "$mode" = tls ]; then
    hap_two_tls="$(free_port)"; hap_server_tls="$(free_port)"
    bench_tls_certs "$work/hap-tls"
    tls_frontend="frontend inbound-tls
  bind 127.0.0.1:$hap_server_tls ssl crt $work/hap-tls/server.pem ca-file $work/hap-tls/root.pem verify required
  default_backend nginx"
    tls_backend="frontend two-tls
  bind 127.0.0.1:$hap_two_tls
  default_backend server-tls
backend server-tls
  server server 127.0.0.1:$hap_server_tls ssl crt $work/hap-tls/client.pem ca-file $work/hap-tls/root.pem verify required verifyhost server.bench.local sni str(server.bench.local)"
  fi
  local global="global
  nbthread 2
  maxconn 8192
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always"
  cat >"$work/haproxy-client.cfg" <<CONF
$global
frontend one
  bind 127.0.0.1:$hap_one
  default_backend nginx
frontend two
  bind 127.0.0.1:$hap_two
  default_backend server
backend nginx
  server nginx 127.0.0.1:$backend_port
backend server
  server server 127.0.0.1:$hap_server
$tls_backend
CONF
  cat >"$work/haproxy-server.cfg" <<CONF
$global
frontend inbound
  bind 127.0.0.1:$hap_server
  default_backend nginx
backend nginx
  server nginx 127.0.0.1:$backend_port
$tls_frontend
CONF
  haproxy -db -f "$work/haproxy-server.cfg" >"$work/logs/haproxy-server.out" 2>&1 &
  pids+=($!); hap_server_pid=$!
  haproxy -db -f "$work/haproxy-client.cfg" >"$work/logs/haproxy-client.out" 2>&1 &
  pids+=($!); hap_client_pid=$!
  wait_http "$hap_two" x "HAProxy -> HAProxy -> nginx"
  [ -z "$hap_two_tls" ] || wait_http "$hap_two_tls" x "HAProxy -(TLS)-> HAProxy -> nginx"
}

# A root and two ECDSA P-256 leaves (server.bench.local for serverAuth, client for clientAuth) in
# $1, each leaf as HAProxy's crt file (certificate, then key).
bench_tls_certs() {
  local d="$1" name
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/O=zonemesh-bench/CN=root" \
    -keyout "$d/root.key" -out "$d/root.pem" -addext "basicConstraints=critical,CA:true" \
    -addext "keyUsage=critical,keyCertSign" 2>>"$work/logs/openssl.err"
  for name in server client; do
    local eku=serverAuth
    [ "$name" = client ] && eku=clientAuth
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name.bench.local" \
      -keyout "$d/$name.key" -out "$d/$name.csr" 2>>"$work/logs/openssl.err"
    openssl x509 -req -in "$d/$name.csr" -CA "$d/root.pem" -CAkey "$d/root.key" -CAcreateserial -days 2 \
      -extfile <(printf "subjectAltName=DNS:%s.bench.local\nextendedKeyUsage=%s\nkeyUsage=critical,digitalSignature\n" "$name" "$eku") \
      -out "$d/$name.crt" 2>>"$work/logs/openssl.err"
    cat "$d/$name.crt" "$d/$name.key" >"$d/$name.pem"
  done
}
