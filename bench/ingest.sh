#!/usr/bin/env bash
# Ingest throughput into grain state with 100k accounts, against loading the same rows with COPY.
# Usage: bench/ingest.sh [runs=3] [spread-hours=240]; prints each run and the medians. Starts its own PostgreSQL and host.
# spread-hours: how far back event timestamps reach: 240 is backfill-shaped, 0.1 a live stream.
# BENCH_INGEST_ARGS="--grouped true": the coalescing experiment (each account's timed events in one request).
# BENCH_PG_STATEMENTS=1: also print the statements PostgreSQL spent its time on (pg_stat_statements).
# BENCH_HOSTS=2: two hosts on one PostgreSQL, the batches alternated between them (see common.sh).
# Every run gets a fresh PostgreSQL and host: a second run on the same host would find the first
# run's 100k accounts still active in its memory, and measure 200k.
set -euo pipefail
source "$(dirname "$0")/common.sh"
RUNS="${1:-3}"; SPREAD="${2:-240}"
trap bench_stop EXIT
bench_machine
rates=(); ratios=(); cpus=(); hosts=(); pgs=()
for run in $(seq 1 "$RUNS"); do
  bench_stop
  bench_start
  cpu0="$(bench_cpu)"; alloc0="$(bench_allocated)"; gc0="$(bench_gcs)"
  out="$(bench_bench ingest --url "$BENCH_URLS" --admin-token "$ADMIN_TOKEN" --pg "$PG" --accounts 100000 --warm 200000 --events 500000 --batch 10000 --concurrency 4 --spread-hours "$SPREAD" ${BENCH_INGEST_ARGS:-})"
  cpu1="$(bench_cpu)"; alloc1="$(bench_allocated)"; gc1="$(bench_gcs)"
  bench_statements
  echo "$out" | sed "s/^/run $run: /"
  # Warm-up and timed events together; PostgreSQL's figure includes the COPY baseline (a few seconds of it).
  echo "run $run: cpu:     $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "host %.1f s, PostgreSQL %.1f s = %.0f + %.0f us per event (700,000 events)", y[1] - x[1], y[2] - x[2], (y[1] - x[1]) / 0.7, (y[2] - x[2]) / 0.7}')"
  echo "run $run: alloc:   $(awk -v a="$alloc0" -v b="$alloc1" 'BEGIN {printf "%.0f MB allocated by the host(s) = %.1f KB per event", (b - a) / 1e6, (b - a) / 700000 / 1e3}')"
  echo "run $run: gc:      $(awk -v a="$gc0" -v b="$gc1" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%d gen0, %d gen1, %d gen2 collections = %.2f per 1,000 events", y[1] - x[1], y[2] - x[2], y[3] - x[3], (y[1] - x[1]) / 700}')"
  read -r host_us pg_us < <(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%.0f %.0f\n", (y[1] - x[1]) / 0.7, (y[2] - x[2]) / 0.7}')
  hosts+=("$host_us"); pgs+=("$pg_us"); cpus+=("$((host_us + pg_us))")
  rates+=("$(echo "$out" | awk '/^ingest:/ {gsub(",", "", $8); print $8}')")
  ratios+=("$(echo "$out" | awk '/^ratio:/ {sub("x", "", $4); print $4}')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median ingest: $(median "${rates[@]}") events/s; median time ratio to COPY: $(median "${ratios[@]}")x; median CPU (host + PostgreSQL): $(median "${cpus[@]}") us per event (host $(median "${hosts[@]}"), PostgreSQL $(median "${pgs[@]}"))"
