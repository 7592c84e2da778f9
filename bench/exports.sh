#!/usr/bin/env bash
# bench/exports.sh: export throughput and host memory, and DuckDB for comparison (docs/benchmarks.md, "Exports").
#
#   1. starts its own PostgreSQL (scripts/pg.sh, SIGNALS_PG_PORT, default 55480, fast mode: the seed is
#      written once and only read afterwards) and a Release host on BENCH_PORT (default 5096)
#   2. bench/OrleansSignals.Bench.Exports seeds one workspace with SQL (HISTORY_ROWS transitions over
#      30 days, ACCOUNTS accounts x 10 insights), then runs each case RUNS times through the API,
#      waiting before each timed run for a 1-minute load average under MAX_LOAD (at most 180 s)
#   3. prints the medians as a markdown table; everything is stopped and removed on exit
#
# Environment: SIGNALS_PG_PORT, BENCH_PORT, HISTORY_ROWS (10000000), ACCOUNTS (100000), RUNS (3),
#              CASES (history:csv:none,history:jsonl:none,history:parquet:none,snapshot:parquet:none), MAX_LOAD (1.5)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SIGNALS_PG_PORT="${SIGNALS_PG_PORT:-55480}"
export SIGNALS_PG_DIR="/tmp/orleanssignals-bench-exports-pg-$SIGNALS_PG_PORT"
export SIGNALS_PG_FAST=1
PORT="${BENCH_PORT:-5096}"
URL="http://127.0.0.1:$PORT"
ADMIN_TOKEN="bench-admin-token-0123456789"
WORK="$(mktemp -d /tmp/orleanssignals-bench-exports.XXXXXX)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
HOST_PID=""

cleanup() {
  if [[ -n "$HOST_PID" ]]; then kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null; fi
  "$ROOT/scripts/pg.sh" destroy >/dev/null 2>&1 || true
  rm -rf -- "$WORK"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr), .NET $(dotnet --version), $(/usr/lib/postgresql/*/bin/postgres --version | tail -n 1)" >&2
[[ -d "$ROOT/tests/tools/node_modules/@duckdb" ]] || (cd "$ROOT/tests/tools" && npm ci --no-audit --no-fund --loglevel=error) >&2
dotnet build "$ROOT/src/OrleansSignals.Host" -c Release -v q -nologo >&2
dotnet build "$ROOT/bench/OrleansSignals.Bench.Exports" -c Release -v q -nologo >&2

PG="$("$ROOT/scripts/pg.sh" start | tail -n 1)"
psql "host=127.0.0.1 port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$PG") user=postgres dbname=postgres" -qc "CREATE DATABASE exports_bench" >&2
PG="${PG/Database=postgres/Database=exports_bench}"

(cd "$ROOT/src/OrleansSignals.Host/bin/Release/net10.0" && \
  ConnectionStrings__Postgres="$PG" Signals__AdminToken="$ADMIN_TOKEN" Signals__Exports__LocalRoot="$WORK/exports" \
  Logging__LogLevel__Default=Warning exec dotnet OrleansSignals.Host.dll --urls "$URL") >"$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 1 120); do curl -sf "$URL/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "$URL/readyz" >/dev/null || { echo "host did not become ready:" >&2; cat "$WORK/host.log" >&2; exit 1; }

dotnet "$ROOT/bench/OrleansSignals.Bench.Exports/bin/Release/net10.0/OrleansSignals.Bench.Exports.dll" \
  --url "$URL" --admin-token "$ADMIN_TOKEN" --pg "$PG" --host-pid "$HOST_PID" \
  --history-rows "${HISTORY_ROWS:-10000000}" --accounts "${ACCOUNTS:-100000}" --runs "${RUNS:-3}" \
  --cases "${CASES:-history:csv:none,history:jsonl:none,history:parquet:none,snapshot:parquet:none}" \
  --max-load "${MAX_LOAD:-1.5}" --max-load-wait "${MAX_LOAD_WAIT:-180}" \
  --tools "$ROOT/tests/tools" --work "$WORK/duckdb"
