#!/usr/bin/env bash
# bench/enrichment.sh: enrichment upload staging, consolidation throughput and the worked-at-customer query
# (docs/benchmarks.md, "Enrichment"). Runs bench/OrleansSignals.Bench.Enrichment against a fresh database.
#
#   BENCH_CONN   a PostgreSQL server (Npgsql connection string) to use: the benchmark creates its own database on it
#                and drops it at the end; without it, the script starts
#                its own PostgreSQL with scripts/pg.sh on SIGNALS_PG_PORT (default 55489) and removes it on exit
#   SIZES        result counts to consolidate (default 100000,300000,1000000; the last one also feeds the query)
#   RUNS         runs per figure (default 3); QUERIES: query samples (default 500); SKIP_UPLOAD=1 skips the upload figure
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
STARTED_PG=""
if [[ -z "${BENCH_CONN:-}" ]]; then
  export SIGNALS_PG_PORT="${SIGNALS_PG_PORT:-55489}" SIGNALS_PG_DIR="/tmp/orleanssignals-bench-enrichment-pg-${SIGNALS_PG_PORT:-55489}" SIGNALS_PG_FAST=1
  BENCH_CONN="$("$ROOT/scripts/pg.sh" start | tail -1)"
  STARTED_PG=1
fi
cleanup() {
  if [[ -n "$STARTED_PG" ]]; then "$ROOT/scripts/pg.sh" destroy >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
dotnet build "$ROOT/bench/OrleansSignals.Bench.Enrichment" -c Release -v q -nologo >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(postgres --version 2>/dev/null || /usr/lib/postgresql/15/bin/postgres --version)"
dotnet "$ROOT/bench/OrleansSignals.Bench.Enrichment/bin/Release/net10.0/OrleansSignals.Bench.Enrichment.dll" "$BENCH_CONN"
