# Shared by the benchmark scripts: a PostgreSQL and a Release host of our own, on loopback.
# BENCH_HOST_ROOT: the tree the host is built and run from (default: this one), e.g. a worktree of another
#   commit; the load generator always comes from this tree, so two commits are driven the same way.
# BENCH_NO_BUILD=1: do not build (the host and the bench tool are already built in Release).
# BENCH_HOSTS=2: two hosts on the same PostgreSQL (HTTP ports BENCH_PORT and BENCH_PORT+1, their own Orleans
#   ports); BENCH_URLS lists both, comma-separated. Each host logs to /tmp/orleanssignals-bench-host[-N].log.
# BENCH_HOST_ENV: extra NAME=value settings for every host, space-separated (e.g. Orleans__FailureDetectionTime=00:00:05).
# Orleans ports (silo, gateway): BENCH_SILO_PORT / BENCH_GATEWAY_PORT (+1 for the second host). Builds
#   before Orleans ignore them.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST_ROOT="${BENCH_HOST_ROOT:-$ROOT}"
BENCH_PG_PORT="${BENCH_PG_PORT:-55470}"
# BENCH_PG_DIR: the benchmark PostgreSQL's data folder (destroyed at the end); one per concurrent benchmark.
BENCH_PG_DIR="${BENCH_PG_DIR:-/tmp/orleanssignals-bench-pg}"
BENCH_PORT="${BENCH_PORT:-5095}"
BENCH_HOSTS="${BENCH_HOSTS:-1}"
BENCH_SILO_PORT="${BENCH_SILO_PORT:-21111}"
BENCH_GATEWAY_PORT="${BENCH_GATEWAY_PORT:-31000}"
BENCH_URL="http://127.0.0.1:$BENCH_PORT"
BENCH_URLS="$BENCH_URL"
for ((h = 1; h < BENCH_HOSTS; h++)); do BENCH_URLS="$BENCH_URLS,http://127.0.0.1:$((BENCH_PORT + h))"; done
ADMIN_TOKEN="bench-admin-token-0123456789"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# Hosts run with the GC setting the image and scripts/run.sh give them (BENCH_HOST_ENV can override it).
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"
HOST_PIDS=()

bench_start() {
  PG="$(SIGNALS_PG_PORT=$BENCH_PG_PORT SIGNALS_PG_DIR=$BENCH_PG_DIR bash "$ROOT/scripts/pg.sh" start | tail -n 1)"
  if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    dotnet build "$HOST_ROOT/src/OrleansSignals.Host" -c Release -v q -nologo >/dev/null
    dotnet build "$ROOT/bench/OrleansSignals.Bench" -c Release -v q -nologo >/dev/null
  fi
  for ((h = 0; h < BENCH_HOSTS; h++)); do
    local log=/tmp/orleanssignals-bench-host.log; ((h > 0)) && log="/tmp/orleanssignals-bench-host-$((h + 1)).log"
    # From its own directory, as scripts/run.sh and the image run it: the content root is where
    # appsettings.json is (its log levels; without them a host logs every request and activation).
    (cd "$HOST_ROOT/src/OrleansSignals.Host/bin/Release/net10.0" && exec env ConnectionStrings__Postgres="$PG" Signals__AdminToken="$ADMIN_TOKEN" \
      Orleans__SiloPort=$((BENCH_SILO_PORT + h)) Orleans__GatewayPort=$((BENCH_GATEWAY_PORT + h)) ${BENCH_HOST_ENV:-} \
      dotnet OrleansSignals.Host.dll --urls "http://127.0.0.1:$((BENCH_PORT + h))") >"$log" 2>&1 &
    HOST_PIDS+=($!)
    # One at a time: the first applies the migrations.
    local ready=0
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$((BENCH_PORT + h))/readyz" >/dev/null && { ready=1; break; }; sleep 0.5; done
    ((ready)) || { echo "host $((h + 1)) did not become ready; see $log" >&2; return 1; }
  done
}

bench_stop() {
  local pid
  for pid in "${HOST_PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  HOST_PIDS=()
  SIGNALS_PG_PORT=$BENCH_PG_PORT SIGNALS_PG_DIR=$BENCH_PG_DIR bash "$ROOT/scripts/pg.sh" destroy >/dev/null 2>&1 || \
    SIGNALS_PG_PORT=$BENCH_PG_PORT SIGNALS_PG_DIR=$BENCH_PG_DIR bash "$ROOT/scripts/pg.sh" stop >/dev/null 2>&1 || true
}

bench_machine() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(dotnet --version), PostgreSQL $(psql --version | awk '{print $3}') on the same machine; host from $HOST_ROOT ($(git -C "$HOST_ROOT" rev-parse --short HEAD)), $BENCH_HOSTS host(s); load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_need COMMAND PACKAGE: installs the Debian package when the command is missing (apt-get update first:
# a fresh machine has no package lists, so a bare install fails); as root, or through sudo.
bench_need() {
  command -v "$1" >/dev/null && return 0
  local sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
  echo "installing $2 (for $1)" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$2" >&2
  command -v "$1" >/dev/null || { echo "$1 is still missing after installing $2" >&2; return 1; }
}

bench_bench() { dotnet "$ROOT/bench/OrleansSignals.Bench/bin/Release/net10.0/OrleansSignals.Bench.dll" "$@"; }
