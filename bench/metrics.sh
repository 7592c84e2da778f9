#!/usr/bin/env bash
# The metrics an operator watches (docs/operations.md, "Metrics and logs"), plotted during a short ingest benchmark.
# Usage: bench/metrics.sh [accounts=10000] [events=100000] [out=docs/img/operations-metrics.png]
# Starts its own PostgreSQL and host (common.sh), scrapes /metrics with the operator token every second while
# bench/OrleansSignals.Bench ingests, then draws the series with matplotlib (bench/metrics-plot.py; the Debian
# package python3-matplotlib is installed when missing). Raw scrapes stay in /tmp/orleanssignals-bench-metrics.
set -euo pipefail
source "$(dirname "$0")/common.sh"
ACCOUNTS="${1:-10000}"; EVENTS="${2:-100000}"; OUT="${3:-$ROOT/docs/img/operations-metrics.png}"
PY=/usr/bin/python3   # Debian's, where python3-matplotlib installs (a pyenv python on PATH would not see it)
"$PY" -c 'import matplotlib' 2>/dev/null || {
  sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends python3-matplotlib >&2
}
SCRAPES=/tmp/orleanssignals-bench-metrics
rm -rf "$SCRAPES"; mkdir -p "$SCRAPES"
SCRAPER=""
finish() { [[ -n "$SCRAPER" ]] && kill "$SCRAPER" 2>/dev/null; bench_stop; }
trap finish EXIT
bench_start
bench_machine
(
  while true; do
    curl -s --max-time 2 -H "Authorization: Bearer $ADMIN_TOKEN" "$BENCH_URL/metrics" >"$SCRAPES/$(date +%s.%N).prom" || true
    sleep 1
  done
) &
SCRAPER=$!
sleep 5   # a baseline before the load
bench_bench ingest --url "$BENCH_URLS" --admin-token "$ADMIN_TOKEN" --pg "$PG" --accounts "$ACCOUNTS" --warm "$((ACCOUNTS * 2))" \
  --events "$EVENTS" --batch 5000 --concurrency 4 --spread-hours 0.1
sleep 10  # the tail: the outbox drains, the pool settles
kill "$SCRAPER"; SCRAPER=""
"$PY" "$ROOT/bench/metrics-plot.py" "$SCRAPES" "$OUT" "ingest of $EVENTS events over $ACCOUNTS accounts, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "plot: $OUT"
