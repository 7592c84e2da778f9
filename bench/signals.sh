#!/usr/bin/env bash
# bench/signals.sh: the signal pipeline (docs/benchmarks.md, "Signal pipeline"). Runs bench/OrleansSignals.Bench.Signals:
#   pipeline  loads 10M events (90 days, 100k accounts, 1M persons, skewed) by binary COPY into one workspace, defines
#             20 signals and a scoring outcome, then times evaluate + score through PipelineRunner, RUNS times
#   attio     delivers occurrences to a local Attio (Kestrel on 127.0.0.1): requests per delivered occurrence, and a
#             run at Attio's 150/min scaled to 15 per 6 s to show the client holds the limit
#
#   BENCH_CONN   an existing PostgreSQL server (Npgsql connection string); without it the script starts its own with
#                scripts/pg.sh on BENCH_PG_PORT (default 55501, durable settings) and removes it on exit
#   MODES        which parts (default "pipeline attio"); RUNS (3); EVENTS (10000000); ACCOUNTS (100000)
#   KEEP_DATA=1  keep the benchmark's database (and the PostgreSQL) for another run or EXPLAIN ANALYZE
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
STARTED_PG=""
export SIGNALS_PG_PORT="${BENCH_PG_PORT:-55501}" SIGNALS_PG_DIR="${BENCH_PG_DIR:-/tmp/orleanssignals-bench-signals-pg}"
if [[ -z "${BENCH_CONN:-}" ]]; then
  BENCH_CONN="$("$ROOT/scripts/pg.sh" start | tail -1)"
  STARTED_PG=1
fi
cleanup() {
  if [[ -n "$STARTED_PG" && "${KEEP_DATA:-0}" != 1 ]]; then "$ROOT/scripts/pg.sh" destroy >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
[[ "${BENCH_NO_BUILD:-0}" == 1 ]] || dotnet build "$ROOT/bench/OrleansSignals.Bench.Signals" -c Release -v q -nologo >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), .NET $(dotnet --version), $(/usr/lib/postgresql/*/bin/postgres --version | tail -n 1); commit $(git -C "$ROOT" rev-parse --short HEAD); $(uptime)"
KEEP=(); [[ "${KEEP_DATA:-0}" == 1 ]] && KEEP=(--keep-data)
for mode in ${MODES:-pipeline attio}; do
  case "$mode" in
    pipeline) dotnet "$ROOT/bench/OrleansSignals.Bench.Signals/bin/Release/net10.0/OrleansSignals.Bench.Signals.dll" pipeline "$BENCH_CONN" \
                --events "${EVENTS:-10000000}" --accounts "${ACCOUNTS:-100000}" --runs "${RUNS:-3}" "${KEEP[@]}" ;;
    attio) dotnet "$ROOT/bench/OrleansSignals.Bench.Signals/bin/Release/net10.0/OrleansSignals.Bench.Signals.dll" attio "$BENCH_CONN" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  echo "after $mode: $(uptime)"
done
