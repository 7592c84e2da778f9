#!/usr/bin/env bash
# Failover: the time for the accounts of a killed silo to be served again by another.
# Usage: bench/failover.sh [runs=3] [accounts=100000]. Two hosts (silos) on one PostgreSQL; 100k accounts seeded
# and read through both; the second host is SIGKILLed; every account is then read through the first until all
# answer 200. Orleans:FailureDetectionTime (the hosts' default, 10 s) bounds how soon the dead silo is declared.
# BENCH_HOST_ENV="Orleans__FailureDetectionTime=00:00:05" passes settings to both hosts (see common.sh).
set -euo pipefail
export BENCH_HOSTS=2
source "$(dirname "$0")/common.sh"
RUNS="${1:-3}"; ACCOUNTS="${2:-100000}"
trap bench_stop EXIT
bench_machine
lasts=()
for run in $(seq 1 "$RUNS"); do
  bench_stop
  bench_start
  key="$(bench_bench seed --url "$BENCH_URL" --admin-token "$ADMIN_TOKEN" --accounts "$ACCOUNTS")"
  out="$(bench_bench failover --survivor "$BENCH_URL" --victim "http://127.0.0.1:$((BENCH_PORT + 1))" --victim-pid "${HOST_PIDS[1]}" --api-key "$key" --accounts "$ACCOUNTS")"
  echo "$out" | sed "s/^/run $run: /"
  lasts+=("$(echo "$out" | awk '/^failover:/ {print $6}')")
  unset 'HOST_PIDS[1]'
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median time until every account is served again: $(median "${lasts[@]}") s"
