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
  local extra=""
  [[ "${BENCH_PG_STATEMENTS:-0}" == 1 ]] && extra="shared_preload_libraries = 'pg_stat_statements'"
  PG="$(SIGNALS_PG_EXTRA_CONF="$extra" SIGNALS_PG_PORT=$BENCH_PG_PORT SIGNALS_PG_DIR=$BENCH_PG_DIR bash "$ROOT/scripts/pg.sh" start | tail -n 1)"
  [[ -n "$extra" ]] && psql -q "$(bench_psql_conn)" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
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

# CPU seconds used so far by the hosts and by this benchmark's PostgreSQL (live processes, plus backends that
# exited, which the postmaster has reaped): "host pg". Differences over a run give CPU per event, which other load
# on the machine disturbs far less than throughput does.
bench_cpu() {
  local tck host=0 pg=0 pid pm
  tck=$(getconf CLK_TCK)
  for pid in "${HOST_PIDS[@]}"; do
    [[ -r /proc/$pid/stat ]] && host=$((host + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  pm=$(head -n 1 "$BENCH_PG_DIR/postmaster.pid" 2>/dev/null || true)
  if [[ -n "$pm" && -r /proc/$pm/stat ]]; then
    pg=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
    for pid in $(pgrep -P "$pm"); do [[ -r /proc/$pid/stat ]] && pg=$((pg + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  fi
  awk -v h="$host" -v p="$pg" -v t="$tck" 'BEGIN {printf "%.2f %.2f\n", h / t, p / t}'
}

# A counter of the hosts' /metrics, summed over the hosts: bench_metric_sum <metric name> [printf format].
bench_metric_sum() {
  local url total=0 v
  for url in ${BENCH_URLS//,/ }; do
    v=$(curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" "$url/metrics" | awk -v m="$1" 'index($0, m) == 1 {print $NF}')
    total=$(awk -v a="$total" -v b="${v:-0}" -v f="${2:-%.0f}" 'BEGIN {printf f, a + b}')
  done
  echo "$total"
}

# Bytes the hosts' managed heaps have allocated since they started: over a run, allocation per event, which unlike
# throughput does not depend on what else the machine is doing.
bench_allocated() { bench_metric_sum dotnet_gc_heap_total_allocated_bytes_total; }

# Garbage collections the hosts have run since they started, by generation (from /metrics): "gen0 gen1 gen2".
bench_gcs() {
  local url out="0 0 0"
  for url in ${BENCH_URLS//,/ }; do
    out=$(curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" "$url/metrics" | awk -v prev="$out" '
      BEGIN {split(prev, t, " ")}
      /^dotnet_gc_collections_total/ {for (g = 0; g <= 2; g++) if (index($0, "\"gen" g "\"")) t[g + 1] += $NF}
      END {printf "%d %d %d", t[1], t[2], t[3]}')
  done
  echo "$out"
}

# Seconds the hosts' threads have been paused by garbage collections since they started.
bench_gc_pause() { bench_metric_sum dotnet_gc_pause_time_seconds_total %.6f; }

# The machine's CPU time so far, all cores, from /proc/stat: "steal total" in ticks. Steal is time the hypervisor
# gave this VM's CPUs to others: what a run loses to its neighbours, not to its own work.
bench_steal() {
  awk '$1 == "cpu" {t = 0; for (i = 2; i <= NF; i++) t += $i; print $9, t}' /proc/stat
}

# $PG (an Npgsql connection string) as psql takes it.
bench_psql_conn() {
  echo "$PG" | tr ';' '\n' | awk -F= 'tolower($1) == "host" {h=$2} tolower($1) == "port" {p=$2} tolower($1) ~ /^(username|user id)$/ {u=$2} tolower($1) == "database" {d=$2}
    END {printf "host=%s port=%s user=%s dbname=%s", h, p, u, d}'
}

# BENCH_PG_STATEMENTS=1: the statements that took PostgreSQL's time since it started, by total time.
bench_statements() {
  [[ "${BENCH_PG_STATEMENTS:-0}" == 1 ]] || return 0
  psql "$(bench_psql_conn)" -X -P pager=off -c "SELECT round(total_exec_time::numeric / 1000, 1) AS total_s, calls, rows,
      round((total_exec_time * 1000 / greatest(rows, 1))::numeric, 1) AS us_per_row, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"
  # How many updates stayed in place (HOT: no index entries written).
  psql "$(bench_psql_conn)" -X -P pager=off -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd,
      round(100.0 * n_tup_hot_upd / greatest(n_tup_upd, 1), 1) AS hot_pct, pg_size_pretty(pg_total_relation_size(relid)) AS size
    FROM pg_stat_user_tables WHERE n_tup_upd > 0 OR n_tup_ins > 10000 ORDER BY n_tup_upd + n_tup_ins DESC LIMIT 12"
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
