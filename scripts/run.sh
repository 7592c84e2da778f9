#!/usr/bin/env bash
# scripts/run.sh: run OrleansSignals on this machine, every role in one process.
#
#   1. PostgreSQL: uses ConnectionStrings__Postgres when set; otherwise starts a local one with
#      scripts/pg.sh (durable settings, port 55432 or the next free one, data in .local/pg)
#   2. publishes src/OrleansSignals.Host (Release) to .local/host   (SIGNALS_SKIP_BUILD=1 skips)
#   3. admin token: SIGNALS_ADMIN_TOKEN, else the one kept in .local/admin-token (so it survives a restart of
#      the same local setup), else a fresh random one (then kept there, mode 600)
#   4. starts the host (an Orleans silo: silo port 11111 and gateway port 30000, or the next free ones) on
#      http://127.0.0.1:${PORT:-5080}, waits for GET /readyz = 200 (60 s)
#   5. seeds a demo workspace through the HTTP API (bash + curl only); the demo API key is kept
#      in .local/demo.env and reused on the next run while it still works
#      (SIGNALS_RESEED=1 creates a new demo workspace, SIGNALS_SEED=0 skips seeding)
#   6. prints URLs, tokens and curl examples, then follows the host log in the foreground.
# Webhooks may reach loopback receivers (Signals__Hooks__AllowLoopback=true, printed in the banner) so the demo
# works with a receiver on this machine; other private addresses stay refused. Set it to false to refuse them too.
# SIGNALS_LOCAL_DIR moves .local (data, token, logs); SIGNALS_HOST_DIR runs an already built host from that folder.
# Ctrl-C stops the host and the PostgreSQL this script started. Host logs: .local/host.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOCAL="${SIGNALS_LOCAL_DIR:-$ROOT/.local}"
mkdir -p "$LOCAL"
HOST_DIR="${SIGNALS_HOST_DIR:-$LOCAL/host}"

PORT="${PORT:-5080}"
BASE="http://127.0.0.1:$PORT"
HOST_LOG="$LOCAL/host.log"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# The host's GC gen0 budget, as in deploy/Dockerfile (docs/operations.md, "Memory and GC").
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"

log() { printf 'run.sh: %s\n' "$*" >&2; }
die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is required"

HOST_PID=""
TAIL_PID=""
PG_STOP_AT_EXIT=0
PG_ENV=()
RESP=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$HOST_PID" ]] && kill -0 "$HOST_PID" 2>/dev/null; then
    log "stopping the host (pid $HOST_PID)"
    kill -TERM "$HOST_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$HOST_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$HOST_PID" 2>/dev/null || true
  fi
  if [[ -n "$TAIL_PID" ]]; then kill "$TAIL_PID" 2>/dev/null || true; fi
  if [[ -n "$RESP" ]]; then rm -f -- "$RESP"; fi
  if (( PG_STOP_AT_EXIT )); then
    env "${PG_ENV[@]}" "$ROOT/scripts/pg.sh" stop || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- PostgreSQL
if [[ -n "${ConnectionStrings__Postgres:-}" ]]; then
  log "using ConnectionStrings__Postgres from the environment"
  PG_CONN="$ConnectionStrings__Postgres"
else
  PG_DIR="${SIGNALS_PG_DIR:-$LOCAL/pg}"
  if [[ -z "${SIGNALS_PG_DIR:-}" && "$(id -u)" == 0 ]] && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; then
    # The server runs as postgres, which cannot reach a repo under e.g. /root.
    PG_DIR="/var/tmp/orleanssignals-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    log "user postgres cannot reach $LOCAL; PostgreSQL data goes to $PG_DIR"
  fi
  PG_ENV=("SIGNALS_PG_PORT=${SIGNALS_PG_PORT:-55432}" "SIGNALS_PG_DIR=$PG_DIR" SIGNALS_PG_FAST=0)
  if env "${PG_ENV[@]}" "$ROOT/scripts/pg.sh" status >/dev/null 2>&1; then
    log "PostgreSQL in $PG_DIR is already running; leaving it running at exit"
  else
    PG_STOP_AT_EXIT=1
  fi
  PG_CONN="$(env "${PG_ENV[@]}" "$ROOT/scripts/pg.sh" start | tail -n 1)"
  [[ "$PG_CONN" == Host=* ]] || die "scripts/pg.sh start did not print a connection string"
fi

# ---------------------------------------------------------------- build
if [[ "${SIGNALS_SKIP_BUILD:-0}" != 1 && -z "${SIGNALS_HOST_DIR:-}" ]]; then
  log "publishing src/OrleansSignals.Host (Release) to ${LOCAL#$ROOT/}/host"
  dotnet publish src/OrleansSignals.Host/OrleansSignals.Host.csproj -c Release -o "$LOCAL/host" \
    --nologo -v:minimal >&2 || die "dotnet publish failed"
fi
[[ -f "$HOST_DIR/OrleansSignals.Host.dll" ]] || die "$HOST_DIR/OrleansSignals.Host.dll not found (build first)"

# ---------------------------------------------------------------- admin token
TOKEN_FILE="$LOCAL/admin-token"
if [[ -n "${SIGNALS_ADMIN_TOKEN:-}" ]]; then
  ADMIN_TOKEN="$SIGNALS_ADMIN_TOKEN"
elif [[ -s "$TOKEN_FILE" ]]; then
  ADMIN_TOKEN="$(head -n 1 "$TOKEN_FILE")"
  log "reusing the admin token kept in $TOKEN_FILE (delete the file for a new one)"
else
  if command -v openssl >/dev/null 2>&1; then
    ADMIN_TOKEN="$(openssl rand -hex 24)"
  else
    ADMIN_TOKEN="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  fi
  (umask 077; printf '%s\n' "$ADMIN_TOKEN" >"$TOKEN_FILE")
fi
ALLOW_LOOPBACK="${Signals__Hooks__AllowLoopback:-true}"
if [[ "$ALLOW_LOOPBACK" == true ]]; then
  log "webhooks: loopback destinations allowed for the local demo (Signals__Hooks__AllowLoopback=true); other private addresses refused"
fi

# ---------------------------------------------------------------- host
port_in_use "$PORT" && die "port $PORT is already in use; set PORT=<free port>"
# The Orleans silo's own ports (silo-to-silo and client gateway): the next free ones from 11111 and 30000, so a
# second copy beside the first just works (Orleans__SiloPort / Orleans__GatewayPort choose them).
SILO_PORT="${Orleans__SiloPort:-11111}"
GATEWAY_PORT="${Orleans__GatewayPort:-30000}"
if [[ -z "${Orleans__SiloPort:-}" ]]; then while port_in_use "$SILO_PORT"; do SILO_PORT=$((SILO_PORT + 1)); done; fi
if [[ -z "${Orleans__GatewayPort:-}" ]]; then while port_in_use "$GATEWAY_PORT"; do GATEWAY_PORT=$((GATEWAY_PORT + 1)); done; fi
: >"$HOST_LOG"
log "starting the host on $BASE (log: $HOST_LOG)"
(
  cd "$HOST_DIR"   # content root: appsettings*.json are next to the dll
  export ConnectionStrings__Postgres="$PG_CONN" Signals__AdminToken="$ADMIN_TOKEN"
  # The local demo: webhooks may reach a receiver on this machine (loopback only; announced in the banner).
  export Signals__Hooks__AllowLoopback="$ALLOW_LOOPBACK"
  export Orleans__SiloPort="$SILO_PORT" Orleans__GatewayPort="$GATEWAY_PORT"
  # Local exports next to the data, not inside the folder each run publishes over.
  export Signals__Exports__LocalRoot="${Signals__Exports__LocalRoot:-$LOCAL/exports}"
  # The digest's unsubscribe links point at this host unless told otherwise (mail itself needs Mail__Host and
  # Mail__From; the links are signed with a key derived from the admin token kept above, so they survive restarts).
  export Mail__PublicBaseUrl="${Mail__PublicBaseUrl:-$BASE}"
  exec dotnet OrleansSignals.Host.dll --urls "$BASE"
) >>"$HOST_LOG" 2>&1 &
HOST_PID=$!

host_log_tail() {
  printf -- '--- last 60 lines of %s ---\n' "$HOST_LOG" >&2
  tail -n 60 "$HOST_LOG" >&2 || true
  printf -- '--- end of host log ---\n' >&2
}

deadline=$((SECONDS + 60))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/readyz" 2>/dev/null || true)" == 200 ]]; do
  if ! kill -0 "$HOST_PID" 2>/dev/null; then
    host_log_tail
    HOST_PID=""
    die "the host exited during startup"
  fi
  if (( SECONDS >= deadline )); then
    host_log_tail
    die "GET $BASE/readyz did not return 200 within 60 s"
  fi
  sleep 0.5
done
log "host is ready"

# ---------------------------------------------------------------- seed
RESP="$(mktemp)"
# api METHOD PATH TOKEN BODY OKCODES...: prints the response body; dies on an unexpected status.
api() {
  local method="$1" path="$2" token="$3" body="$4" code ok data=(); shift 4
  [[ -z "$body" ]] || data=(--data-binary "$body")
  code="$(curl -sS --max-time 30 -o "$RESP" -w '%{http_code}' -X "$method" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "${data[@]}" "$BASE$path")" || die "$method $path: request failed"
  for ok in "$@"; do
    if [[ "$code" == "$ok" ]]; then cat "$RESP"; return 0; fi
  done
  printf '%s %s -> HTTP %s\n%s\n' "$method" "$path" "$code" "$(cat "$RESP")" >&2
  die "seeding failed at $method $path"
}
json_str() { sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" | head -n 1; }
ago() { date -u -d "-$1" +%Y-%m-%dT%H:%M:%SZ; }

RUN_ID="$(date -u +%Y%m%d%H%M%S)"
# ev ACCOUNT PERSON EVENT AGO [PROPERTIES_JSON]: one event as JSON (its id is unique per run)
ev() {
  local props="${5:-}" ago_id="${4// /}"
  [[ -n "$props" ]] || props='{}'
  printf '{"event_id":"demo-%s-%s-%s-%s-%s","account_id":"%s","person_id":"%s","event":"%s","timestamp":"%s","properties":%s}' \
    "$RUN_ID" "$1" "$2" "$3" "$ago_id" "$1" "$2" "$3" "$(ago "$4")" "$props"
}
# post_events EV...: POST one JSON array
post_events() {
  local IFS=,
  api POST /api/events "$API_KEY" "[$*]" 202 200
}

seed() {
  log "seeding a demo workspace"
  local out
  out="$(api POST /api/workspaces "$ADMIN_TOKEN" '{"name":"Demo"}' 201 200)"
  API_KEY="$(printf '%s' "$out" | json_str api_key)"
  WORKSPACE_ID="$(printf '%s' "$out" | json_str id)"
  [[ -n "$API_KEY" ]] || die "no api_key in the workspace response: $out"

  local d
  for d in \
    '{"key":"power_user","kind":"event_count","event":"login","window_days":7,"operator":"gte","value":3}' \
    '{"key":"account_dark","kind":"inactivity","days":14}' \
    '{"key":"churn_risk","kind":"event_count","event":"login","window_days":14,"operator":"lt","value":1}' \
    '{"key":"big_spender","kind":"metric","source":"trait","property":"mrr","operator":"gte","value":1000}'; do
    api POST /api/insights/definitions "$API_KEY" "$d" 201 200 409 >/dev/null
  done
  api PUT /api/lifecycle-events "$API_KEY" '["signed_up","upgraded","churned"]' 200 201 204 >/dev/null
  # The daily signal pipeline (docs/signals.md): two signals and an outcome to score them against.
  api POST /api/signals/definitions "$API_KEY" \
    '{"type":"active_this_week","name":"logged in this week","event_name":"login","condition_operator":"gte","condition_value":1,"time_window_days":7}' 201 200 409 >/dev/null
  api POST /api/signals/definitions "$API_KEY" \
    '{"type":"exporter","name":"exported a report in the last 30 days","event_name":"report_exported","condition_operator":"gte","condition_value":1,"time_window_days":30}' 201 200 409 >/dev/null
  api PUT /api/signals/scoring "$API_KEY" '{"outcome_event":"upgraded","outcome_days":30,"min_support":2}' 200 201 204 >/dev/null
  api PUT /api/health-model "$API_KEY" \
    '{"base":50,"components":[{"type":"recency","weight":30,"days":30},{"type":"activity","weight":20,"days":30,"target":20},{"type":"insight","insight":"churn_risk","weight":-30},{"type":"insight","insight":"power_user","weight":10}]}' \
    200 201 204 >/dev/null

  # The story:
  #   acme     big, happy customer: pro plan, logs in every day -> power_user, big_spender
  #   globex   signed up 20 days ago, last seen 16 days ago -> account_dark, churn_risk
  #   initech  trial that upgraded to enterprise yesterday -> big_spender, lifecycle "upgraded"
  #   umbrella paying customer that churned 2 days ago, no login for 15 days -> churn_risk
  #   hooli    signed up two hours ago, first login -> a fresh account
  api PUT /api/accounts/acme/traits     "$API_KEY" '{"name":"Acme Corp","plan":"pro","mrr":2400}' 200 201 204 >/dev/null
  api PUT /api/accounts/globex/traits   "$API_KEY" '{"name":"Globex Inc","plan":"starter","mrr":300}' 200 201 204 >/dev/null
  api PUT /api/accounts/initech/traits  "$API_KEY" '{"name":"Initech","plan":"enterprise","mrr":1200}' 200 201 204 >/dev/null
  api PUT /api/accounts/umbrella/traits "$API_KEY" '{"name":"Umbrella Corp","plan":"pro","mrr":900}' 200 201 204 >/dev/null
  api PUT /api/accounts/hooli/traits    "$API_KEY" '{"name":"Hooli","plan":"trial","mrr":0}' 200 201 204 >/dev/null

  local r
  r="$(post_events \
    "$(ev acme p1 signed_up '60 days' '{"source":"website"}')" \
    "$(ev acme p1 upgraded '45 days' '{"from":"starter","to":"pro"}')" \
    "$(ev acme p1 login '4 days')" \
    "$(ev acme p2 login '3 days')" \
    "$(ev acme p1 login '2 days')" \
    "$(ev acme p3 login '1 day')" \
    "$(ev acme p1 report_exported '1 day' '{"format":"csv"}')")"
  log "acme events: $r"
  r="$(post_events \
    "$(ev globex g1 signed_up '20 days' '{"source":"ads"}')" \
    "$(ev globex g1 login '20 days')" \
    "$(ev globex g1 login '18 days')" \
    "$(ev globex g2 login '16 days')")"
  log "globex events: $r"
  r="$(post_events \
    "$(ev initech i1 signed_up '30 days')" \
    "$(ev initech i1 login '10 days')" \
    "$(ev initech i2 login '6 days')" \
    "$(ev initech i1 login '2 days')" \
    "$(ev initech i1 upgraded '1 day' '{"from":"trial","to":"enterprise"}')")"
  log "initech events: $r"
  r="$(post_events \
    "$(ev umbrella u1 signed_up '90 days')" \
    "$(ev umbrella u1 login '15 days')" \
    "$(ev umbrella u1 churned '2 days' '{"reason":"budget"}')")"
  log "umbrella events: $r"
  local first; first="$(ev hooli h1 signed_up '2 hours')"
  r="$(post_events "$first" "$(ev hooli h1 login '1 hour')")"
  log "hooli events: $r"
  # Sending an event again is harmless: events are idempotent by event_id.
  r="$(post_events "$first")"
  log "hooli signed_up sent again: $r"

  umask 077
  {
    echo "SIGNALS_URL=$BASE"
    echo "SIGNALS_WORKSPACE_ID=$WORKSPACE_ID"
    echo "SIGNALS_API_KEY=$API_KEY"
  } >"$LOCAL/demo.env"
}

API_KEY=""
WORKSPACE_ID=""
if [[ "${SIGNALS_SEED:-1}" != 0 ]]; then
  if [[ "${SIGNALS_RESEED:-0}" != 1 && -f "$LOCAL/demo.env" ]]; then
    API_KEY="$(sed -n 's/^SIGNALS_API_KEY=//p' "$LOCAL/demo.env")"
    WORKSPACE_ID="$(sed -n 's/^SIGNALS_WORKSPACE_ID=//p' "$LOCAL/demo.env")"
    if [[ -n "$API_KEY" && "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
          -H "Authorization: Bearer $API_KEY" "$BASE/api/accounts/acme")" == 200 ]]; then
      log "reusing the demo workspace from .local/demo.env (SIGNALS_RESEED=1 makes a new one)"
    else
      API_KEY=""
    fi
  fi
  [[ -n "$API_KEY" ]] || seed
fi

# ---------------------------------------------------------------- banner
OPENAPI=""
for p in /openapi/v1.json /swagger/v1/swagger.json; do
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE$p")" == 200 ]]; then OPENAPI="$BASE$p"; break; fi
done
[[ -n "$OPENAPI" ]] || OPENAPI="$BASE/openapi/v1.json (not served by this build)"

STATE=""
if [[ -n "$API_KEY" ]]; then
  sleep 1   # events are accepted asynchronously (202)
  STATE="$(curl -s --max-time 5 -H "Authorization: Bearer $API_KEY" "$BASE/api/accounts/acme" || true)"
fi
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

cat <<EOF

================================================================================
 OrleansSignals is running
   URL            $BASE
   API reference  $BASE/docs   (OpenAPI: $OPENAPI)
   Metrics        $BASE/metrics   (Prometheus text; Bearer admin token)
   Dashboard      $BASE/dashboard/   (Orleans cluster; user any, password = the admin token)
   Orleans ports  silo $SILO_PORT, gateway $GATEWAY_PORT
   Admin token    $ADMIN_TOKEN   (kept in $TOKEN_FILE unless SIGNALS_ADMIN_TOKEN is set)
   Webhooks       $( [[ "$ALLOW_LOOPBACK" == true ]] && echo "loopback destinations ALLOWED for the local demo (Signals__Hooks__AllowLoopback=true); other private addresses refused" || echo "loopback and private destinations refused")
   Demo API key   ${API_KEY:-(not seeded)}
   Workspace id   ${WORKSPACE_ID:-}
   PostgreSQL     $PG_CONN
   Host log       $HOST_LOG

 Try:
   curl -H 'Authorization: Bearer ${API_KEY:-<api key>}' $BASE/api/accounts/acme

   curl -X POST -H 'Authorization: Bearer ${API_KEY:-<api key>}' -H 'Content-Type: application/json' \\
     -d '[{"event_id":"try-$RUN_ID","account_id":"hooli","person_id":"h1","event":"login","timestamp":"$NOW","properties":{}}]' \\
     $BASE/api/events

   curl -X POST -H 'Authorization: Bearer ${API_KEY:-<api key>}' $BASE/api/pipeline/runs    # the daily signal pipeline, now
   curl -H 'Authorization: Bearer ${API_KEY:-<api key>}' $BASE/api/signals                   # what it found
EOF
if [[ -n "$STATE" ]]; then
  printf '\n GET /api/accounts/acme now:\n   %s\n' "$STATE"
fi
cat <<EOF

 Ctrl-C stops the host$( (( PG_STOP_AT_EXIT )) && echo " and PostgreSQL" ). Host log follows.
================================================================================

EOF

# ---------------------------------------------------------------- foreground
tail -n 0 -F "$HOST_LOG" 2>/dev/null &
TAIL_PID=$!
rc=0
wait "$HOST_PID" || rc=$?
HOST_PID=""
log "the host exited with status $rc"
exit "$rc"
