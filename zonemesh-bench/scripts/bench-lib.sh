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
