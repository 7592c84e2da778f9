#!/bin/bash
# One timed run of the hooks benchmark (docs/benchmarks.md, "Hooks"), as the figures there were taken:
# waits up to 3 minutes for a 1-minute load average below 1.5 (and prints the load it ran at), recreates the
# hooks_bench database, starts the host from HOSTDIR on port 5191, runs the benchmark, prints where the
# latency went (fan-out lag, then message created to first attempt), stops the host.
#   usage: bench/OrleansSignals.Bench.Hooks/run.sh HOSTDIR LABEL   (PG port: SIGNALS_PG_PORT, default 55490)
# MAX_LOAD_WAIT: seconds to wait for the load (default 180). The host's Orleans ports are 21121/31010 (builds
# before Orleans ignore them). HOSTS=2: a second host (silo) joins the cluster on port 5192 (Orleans 21122/31011)
# before the run; both take part in fanning out and delivering, the benchmark talks to the first.
set -u
HOSTDIR=$1; LABEL=$2
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${SIGNALS_PG_PORT:-55490}
PGC="host=127.0.0.1 port=$PORT user=postgres"
for _ in $(seq 1 $(( ${MAX_LOAD_WAIT:-180} / 5 ))); do
  l=$(cut -d' ' -f1 /proc/loadavg); if awk "BEGIN{exit !($l<1.5)}"; then break; fi; sleep 5
done
echo "[$LABEL] load before run: $(cut -d' ' -f1-3 /proc/loadavg)"
psql "$PGC" -qc "DROP DATABASE IF EXISTS hooks_bench WITH (FORCE)" -c "CREATE DATABASE hooks_bench"
# start_host N LOG: host N (0, 1) on HTTP 5191+N, Orleans 21121+N / 31010+N; waits for /readyz.
start_host() {
  (cd "$HOSTDIR" && exec env ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=hooks_bench" \
    Signals__AdminToken=bench-admin-token-0123456789 Signals__Hooks__AllowPrivateNetworks=true \
    Orleans__SiloPort=$((21121 + $1)) Orleans__GatewayPort=$((31010 + $1)) Logging__LogLevel__Default=Warning \
    dotnet OrleansSignals.Host.dll --urls http://127.0.0.1:$((5191 + $1))) > "$2" 2>&1 &
  HOSTS_STARTED+=($!)
  for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$((5191 + $1))/readyz" && return; sleep 1; done
  echo "[$LABEL] host $(($1 + 1)) did not become ready; see $2"
}
HOSTS_STARTED=()
start_host 0 "/tmp/hooks-bench-$LABEL.log"
[[ "${HOSTS:-1}" == 2 ]] && start_host 1 "/tmp/hooks-bench-$LABEL-2.log"
dotnet "$REPO/bench/OrleansSignals.Bench.Hooks/bin/Release/net10.0/OrleansSignals.Bench.Hooks.dll" \
  --url http://127.0.0.1:5191 --admin-token bench-admin-token-0123456789 \
  --pg "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=hooks_bench" \
  --rate 1000 --seconds 20 --endpoints 10 --bulk 50000
echo "[$LABEL] load after run: $(cut -d' ' -f1-3 /proc/loadavg)"
psql "$PGC dbname=hooks_bench" -c "
WITH f AS (
  SELECT extract(epoch FROM m.created_at - m.event_at) * 1000 AS fanout,
         extract(epoch FROM (SELECT min(attempted_at) FROM webhook_attempts a WHERE a.message_id = m.id) - m.created_at) * 1000 AS send
  FROM webhook_messages m
  WHERE m.seq <= (SELECT min(seq) + 19999 FROM webhook_messages WHERE type = 'lifecycle.event' AND account_id <> 'warm'))
SELECT percentile_cont(array[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY fanout) AS fanout_lag_ms,
       percentile_cont(array[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY send) AS created_to_attempt_ms
FROM f"
kill "${HOSTS_STARTED[@]}"; wait "${HOSTS_STARTED[@]}" 2>/dev/null
