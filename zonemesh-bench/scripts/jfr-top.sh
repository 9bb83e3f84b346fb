#!/usr/bin/env bash
# Hot spots of a JFR recording: the methods most often on top of the stack (self time) and the
# zonemesh/java-control-plane/grpc frames most often anywhere on it (total time), optionally only
# for threads whose name contains THREAD.
#   jfr-top.sh RECORDING.jfr [TOP_N] [THREAD]
# Record the control plane with e.g.
#   control-plane-bench.sh ads 1 --server-jvm "-Xms2g -Xmx4g -XX:StartFlightRecording=filename=cp.jfr,settings=profile,dumponexit=true"
# or a JMH benchmark with: java -jar target/benchmarks.jar -prof jfr ProxyPush.secondProxyOfGroup
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,8p' "$0"; exit 2; }
recording="$1"
top="${2:-15}"
thread="${3:-}"
command -v jfr >/dev/null || { echo "jfr (from the JDK) is needed" >&2; exit 2; }
jfr print --events jdk.ExecutionSample --stack-depth 96 "$recording" | python3 -c '
import collections, re, sys
top, thread = int(sys.argv[1]), sys.argv[2]
self_counts, total_counts = collections.Counter(), collections.Counter()
samples = 0
name, frames, in_stack = "", [], False
ours = re.compile(r"^(io\.zonemesh|io\.envoyproxy\.controlplane|io\.grpc|io\.netty|io\.micrometer|com\.google\.protobuf|java\.security)")
def flush():
    global samples
    if frames and (not thread or thread in name):
        samples += 1
        self_counts[frames[0]] += 1
        for f in set(frames):
            if ours.match(f):
                total_counts[f] += 1
for line in sys.stdin:
    s = line.strip()
    if s.startswith("jdk.ExecutionSample"):
        flush(); name, frames, in_stack = "", [], False
    elif s.startswith("sampledThread"):
        name = s
    elif s.startswith("stackTrace = ["):
        in_stack = True
    elif in_stack and s == "]":
        in_stack = False
    elif in_stack and s and s != "...":
        frames.append(re.sub(r"\s+line:.*$", "", s))
flush()
print(f"{samples} samples" + (f" on threads matching {thread!r}" if thread else ""))
print("self (top of stack):")
for f, n in self_counts.most_common(top):
    print(f"  {100.0 * n / max(1, samples):5.1f}%  {f}")
print("total (on the stack), zonemesh / java-control-plane / grpc / netty / micrometer / protobuf / digest frames:")
for f, n in total_counts.most_common(top):
    print(f"  {100.0 * n / max(1, samples):5.1f}%  {f}")
' "$top" "$thread"
