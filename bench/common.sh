# Shared by the benchmark scripts: a PostgreSQL and a Release host of our own, on loopback.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_PG_PORT="${BENCH_PG_PORT:-55470}"
BENCH_PORT="${BENCH_PORT:-5095}"
BENCH_URL="http://127.0.0.1:$BENCH_PORT"
ADMIN_TOKEN="bench-admin-token-0123456789"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
HOST_PID=""

bench_start() {
  PG="$(SIGNALS_PG_PORT=$BENCH_PG_PORT SIGNALS_PG_DIR=/tmp/orleanssignals-bench-pg bash "$ROOT/scripts/pg.sh" start | tail -n 1)"
  dotnet build "$ROOT/src/OrleansSignals.Host" -c Release -v q -nologo >/dev/null
  dotnet build "$ROOT/bench/OrleansSignals.Bench" -c Release -v q -nologo >/dev/null
  ConnectionStrings__Postgres="$PG" Signals__AdminToken="$ADMIN_TOKEN" \
    dotnet "$ROOT/src/OrleansSignals.Host/bin/Release/net10.0/OrleansSignals.Host.dll" --urls "$BENCH_URL" >/tmp/orleanssignals-bench-host.log 2>&1 &
  HOST_PID=$!
  for _ in $(seq 1 120); do curl -sf "$BENCH_URL/readyz" >/dev/null && return 0; sleep 0.5; done
  echo "host did not become ready; see /tmp/orleanssignals-bench-host.log" >&2
  return 1
}

bench_stop() {
  [[ -n "$HOST_PID" ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null
  HOST_PID=""
  SIGNALS_PG_PORT=$BENCH_PG_PORT SIGNALS_PG_DIR=/tmp/orleanssignals-bench-pg bash "$ROOT/scripts/pg.sh" destroy >/dev/null 2>&1 || \
    SIGNALS_PG_PORT=$BENCH_PG_PORT SIGNALS_PG_DIR=/tmp/orleanssignals-bench-pg bash "$ROOT/scripts/pg.sh" stop >/dev/null 2>&1 || true
}

bench_machine() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(dotnet --version), PostgreSQL $(psql --version | awk '{print $3}') on the same machine"
}

bench_bench() { dotnet "$ROOT/bench/OrleansSignals.Bench/bin/Release/net10.0/OrleansSignals.Bench.dll" "$@"; }
