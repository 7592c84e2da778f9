#!/usr/bin/env bash
# GET /api/accounts/{id} latency under load with wrk: 100k seeded accounts, random ids.
# Usage: bench/latency.sh [runs=3] [duration=30s]. Starts its own PostgreSQL and host.
# Offers ~5,000 requests/s: 60 connections, each pausing 10 ms between requests (wrk's delay()).
set -euo pipefail
source "$(dirname "$0")/common.sh"
RUNS="${1:-3}"; DURATION="${2:-30s}"
bench_need wrk wrk
trap bench_stop EXIT
bench_start
bench_machine
export SIGNALS_KEY="$(bench_bench seed --url "$BENCH_URL" --admin-token "$ADMIN_TOKEN" --accounts 100000 | tail -n 1)"
export SIGNALS_ACCOUNTS=100000
SIGNALS_DELAY_MS=0 wrk -t2 -c16 -d10s -s "$(dirname "$0")/get-account.lua" "$BENCH_URL" >/dev/null   # warm-up: every account activated
p99s=(); rates=()
for run in $(seq 1 "$RUNS"); do
  gc0="$(bench_gcs)"; pause0="$(bench_gc_pause)"; steal0="$(bench_steal)"
  out="$(SIGNALS_DELAY_MS=10 wrk -t2 -c60 -d"$DURATION" --latency -s "$(dirname "$0")/get-account.lua" "$BENCH_URL")"
  gc1="$(bench_gcs)"; pause1="$(bench_gc_pause)"; steal1="$(bench_steal)"
  echo "$out" | sed "s/^/run $run: /"
  # Collections and the time they paused the host's threads, to tell a collector's pauses from the machine's stalls.
  awk -v a="$gc0" -v b="$gc1" -v x="$pause0" -v y="$pause1" -v s="$steal0" -v t="$steal1" -v r="$run" 'BEGIN {split(a, p, " "); split(b, q, " ");
    split(s, u, " "); split(t, v, " ");
    printf "run %d: GC: %d/%d/%d collections (gen0/gen1/gen2), %.1f ms paused in all; CPU stolen by the hypervisor: %.1f%%\n",
      r, q[1] - p[1], q[2] - p[2], q[3] - p[3], (y - x) * 1000, (v[2] > u[2]) ? 100 * (v[1] - u[1]) / (v[2] - u[2]) : 0}'
  p99s+=("$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}')")
  rates+=("$(echo "$out" | awk '/Requests\/sec/ {print $2}')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median p99: $(median "${p99s[@]}") ms at a median $(median "${rates[@]}") requests/s"
echo "unthrottled (for reference):"
cpu0="$(bench_cpu)"; alloc0="$(bench_allocated)"
out="$(SIGNALS_DELAY_MS=0 wrk -t2 -c32 -d10s --latency -s "$(dirname "$0")/get-account.lua" "$BENCH_URL")"
cpu1="$(bench_cpu)"; alloc1="$(bench_allocated)"
echo "$out" | grep -E 'Requests/sec|  (50|99)%'
# Per request, the host's CPU and allocated bytes: unlike latency, other load on the machine hardly moves them.
requests="$(echo "$out" | awk '/requests in/ {print $1}')"
awk -v a="$cpu0" -v b="$cpu1" -v x="$alloc0" -v y="$alloc1" -v n="$requests" 'BEGIN {split(a, p, " "); split(b, q, " ");
  printf "per request: host %.0f us of CPU, %.1f KB allocated (%d requests)\n", (q[1] - p[1]) * 1e6 / n, (y - x) / n / 1e3, n}'
