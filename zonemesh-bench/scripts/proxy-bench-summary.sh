#!/usr/bin/env bash
# Medians (min-max) over several proxy-bench.sh runs, per connection count and target.
#   proxy-bench-summary.sh RESULTS_DIR...   (each holding a proxy-bench.csv)
# Ratios are taken per run (each run measures direct and the proxies in the same minute),
# then their median is reported.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,5p' "$0"; exit 2; }
python3 - "$@" <<'PY'
import csv, statistics, sys
from collections import defaultdict
rows = defaultdict(lambda: defaultdict(list))
# Requests/s of one target over another's in the same run (-m): what TLS costs each proxy.
pairs = [("two-proxies-mtls", "two-proxies"), ("haproxy-two-tls", "haproxy-two"),
         ("two-proxies-mtls", "haproxy-two-tls"), ("two-proxies", "haproxy-two"),
         ("two-proxies-mtls", "two-proxies-mtls-jdk")]
same_run = defaultdict(list)
for d in sys.argv[1:]:
    rps = {}
    with open(f"{d}/proxy-bench.csv") as f:
        for r in csv.DictReader(f):
            key = (int(r["connections"]), r["target"])
            for col in ("requests_per_s", "ratio_to_direct", "p50_ms", "p99_ms", "cpu_s_per_1k_requests"):
                rows[key][col].append(float(r[col]))
            rps[key] = float(r["requests_per_s"])
    for (c, t) in list(rps):
        for a, b in pairs:
            if t == a and (c, b) in rps:
                same_run[(c, f"{a} / {b}")].append(rps[(c, a)] / rps[(c, b)])
def fmt(v, digits):
    return f"{statistics.median(v):.{digits}f} ({min(v):.{digits}f}-{max(v):.{digits}f})"
order = {"direct": 0, "zonemesh": 1, "nginx": 2, "haproxy": 3, "two-proxies": 4, "two-proxies-mtls": 5,
         "two-proxies-mtls-jdk": 6, "haproxy-two": 7, "haproxy-two-tls": 8}
print(f"runs: {len(sys.argv) - 1}")
print(f"{'conns':>5} {'target':20} {'req/s':>26} {'ratio':>20} {'p50 ms':>24} {'p99 ms':>26} {'CPU s/1k req':>26}")
for key in sorted(rows, key=lambda k: (k[0], order.get(k[1], 9))):
    r = rows[key]
    print(f"{key[0]:>5} {key[1]:20} {fmt(r['requests_per_s'], 0):>26} {fmt(r['ratio_to_direct'], 2):>20} "
          f"{fmt(r['p50_ms'], 3):>24} {fmt(r['p99_ms'], 2):>26} {fmt(r['cpu_s_per_1k_requests'], 4):>26}")
if same_run:
    print("requests/s ratios within a run, median (min-max) over runs:")
    for (c, name), v in sorted(same_run.items()):
        print(f"{c:>5} {name:45} {fmt(v, 2)}")
PY
