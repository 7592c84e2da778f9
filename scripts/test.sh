#!/usr/bin/env bash
# scripts/test.sh: run every test of the solution against a throwaway PostgreSQL.
#
#   1. starts a test PostgreSQL with scripts/pg.sh (SIGNALS_PG_FAST=1, port 55433 or the next
#      free one, a fresh data dir under /tmp) and exports SIGNALS_TEST_POSTGRES;
#      skipped when SIGNALS_TEST_POSTGRES is already set
#   2. installs test tools: npm ci / npm install in tests/tools when tests/tools/package.json
#      exists; chromium (apt, root only) when tests/tools/needs-chromium exists; python3-aiosmtpd
#      (apt, root only) when the system python (/usr/bin/python3) cannot import aiosmtpd: the real
#      SMTP server of the digest tests (tests/tools/smtp-sink.py)
#   3. dotnet test OrleansSignals.sln -c Release --logger "console;verbosity=normal"
#   4. prints the failed tests with their messages (when any), then "N passed, N failed" as its
#      last line; exits non-zero when the build or any
#      test failed, or when no test ran
# The test PostgreSQL is stopped and its data dir deleted on exit, also on failure or Ctrl-C.
#
# Environment:
#   SIGNALS_TEST_PG_PORT   port for the test PostgreSQL (default 55433)
#   SIGNALS_TEST_POSTGRES  use this connection string instead of starting a PostgreSQL
#   SIGNALS_TEST_TIMEOUT   seconds allowed for `dotnet test` (default 1200)
#   SIGNALS_TEST_ARGS      extra arguments for dotnet test (e.g. --filter ...), word-split
#
# scripts/test.sh --parse-summary FILE   only parses a saved dotnet test log (used to test
#                                        this script) and prints "N passed, N failed".
# scripts/test.sh --failures FILE        only prints the failed tests of a saved log, with their
#                                        messages (also printed before the summary of a run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf 'test.sh: %s\n' "$*" >&2; }

# Sums the per-assembly summaries of a dotnet test log. Prints "passed failed skipped total".
# Understands, in this order of preference:
#   1. VSTest console logger at verbosity=normal (what this script asks for), one block per
#      test assembly:
#          Test Run Successful.            (or "Test Run Failed." / "Test Run Aborted.")
#          Total tests: 3
#               Passed: 2
#              Skipped: 1
#           Total time: 1.7942 Seconds
#      The count lines are summed wherever they appear, so blocks of assemblies that run in
#      parallel may interleave.
#   2. VSTest at verbosity=minimal, one line per assembly:
#          Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: ...
#   3. Terminal logger / Microsoft.Testing.Platform:
#          Test summary: total: 12, failed: 0, succeeded: 12, skipped: 0, duration: 1s
#      or a "Test run summary:" block with "total: / failed: / succeeded: / skipped:" lines.
parse_summary() {
  # Strip ANSI escapes and CRs first.
  sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r$//' "$1" | awk '
    BEGIN { bp = bf = bs = bt = blk = 0; lp = lf = ls = lt = one = 0; tp = tf = ts = tt = tl = 0; inblk = 0 }
    function num(str, key,    r) {
      if (match(str, key "[ \t]*:?[ \t]*[0-9]+")) {
        r = substr(str, RSTART, RLENGTH); gsub(/[^0-9]/, "", r); return r + 0
      }
      return 0
    }
    /^Total tests:[ \t]*[0-9]+[ \t]*$/ { bt += num($0, "Total tests"); blk = 1; next }
    /^[ \t]+Passed:[ \t]*[0-9]+[ \t]*$/  { bp += num($0, "Passed"); blk = 1; next }
    /^[ \t]+Failed:[ \t]*[0-9]+[ \t]*$/  { bf += num($0, "Failed"); blk = 1; next }
    /^[ \t]+Skipped:[ \t]*[0-9]+[ \t]*$/ { bs += num($0, "Skipped"); blk = 1; next }
    /^[ \t]*(Passed|Failed|Skipped)![ \t]*-[ \t]*Failed:[ \t]*[0-9]+,[ \t]*Passed:[ \t]*[0-9]+,[ \t]*Skipped:[ \t]*[0-9]+,[ \t]*Total:[ \t]*[0-9]+/ {
      line = $0
      sub(/^[^-]*-/, "", line)
      lf += num(line, "Failed"); lp += num(line, "Passed"); ls += num(line, "Skipped"); lt += num(line, "Total")
      one = 1; next
    }
    /Test summary:[ \t]*total:[ \t]*[0-9]+/ {
      tt += num($0, "total"); tf += num($0, "failed"); tp += num($0, "succeeded"); ts += num($0, "skipped"); tl = 1; next
    }
    /Test run summary:/ { inblk = 1; next }
    inblk && /^[ \t]*total:[ \t]*[0-9]+/     { tt += num($0, "total"); tl = 1; next }
    inblk && /^[ \t]*failed:[ \t]*[0-9]+/    { tf += num($0, "failed"); next }
    inblk && /^[ \t]*succeeded:[ \t]*[0-9]+/ { tp += num($0, "succeeded"); next }
    inblk && /^[ \t]*skipped:[ \t]*[0-9]+/   { ts += num($0, "skipped"); next }
    inblk && /^[ \t]*duration:/              { inblk = 0; next }
    END {
      if (blk) print bp, bf, bs, bt
      else if (one) print lp, lf, ls, lt
      else if (tl) print tp, tf, ts, tt
      else print 0, 0, 0, 0
    }'
}

# Prints each failed test of a dotnet test log with its error message and the head of its stack
# trace (at most 40 lines a test, 10 tests), so that the end of a CI log names what failed.
print_failures() {
  sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r$//' "$1" | awk '
    /^[ \t]+Failed [A-Za-z_]/ && !/Failed:/ {
      if (++n > 10) { more++; on = 0; next }
      on = 1; lines = 0; print ""; print; next
    }
    on && (/^[ \t]+(Passed|Skipped) [^ :]/ || /^[ \t]*Standard (Output|Error) Messages:/ || /^\[xUnit/ \
           || /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ || /^Test Run / || /^Total tests:/) { on = 0 }
    on { if (++lines <= 40) print; next }
    END { if (more) printf "\n... and %d more failed tests (see above)\n", more }'
}

if [[ "${1:-}" == "--failures" ]]; then
  [[ -f "${2:-}" ]] || { echo "usage: $0 --failures FILE" >&2; exit 2; }
  print_failures "$2"
  exit 0
fi

if [[ "${1:-}" == "--parse-summary" ]]; then
  [[ -f "${2:-}" ]] || { echo "usage: $0 --parse-summary FILE" >&2; exit 2; }
  read -r P F _ _ < <(parse_summary "$2")
  echo "$P passed, $F failed"
  exit 0
fi

cd "$ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDTERMINALLOGGER=off   # plain, parseable console output
export MSBUILDDISABLENODEREUSE=1   # no MSBuild nodes left behind after the run

PG_STARTED=0
PG_PORT="${SIGNALS_TEST_PG_PORT:-55433}"
PG_DIR=""
RUN_DIR="$(mktemp -d /tmp/orleanssignals-test.XXXXXX)"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -f "$RUN_DIR/pid" && ! -f "$RUN_DIR/rc" ]]; then
    local pid; pid="$(cat "$RUN_DIR/pid")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping dotnet test (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true   # timeout(1) passes it on to dotnet
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  if (( PG_STARTED )); then
    SIGNALS_PG_PORT="$PG_PORT" SIGNALS_PG_DIR="$PG_DIR" "$ROOT/scripts/pg.sh" destroy >/dev/null 2>&1 \
      || log "warning: could not stop the test PostgreSQL in $PG_DIR"
  elif [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
    rm -rf -- "$PG_DIR"
  fi
  rm -rf -- "$RUN_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- PostgreSQL
if [[ -n "${SIGNALS_TEST_POSTGRES:-}" ]]; then
  log "using SIGNALS_TEST_POSTGRES from the environment"
else
  PG_DIR="$(mktemp -d /tmp/orleanssignals-testpg.XXXXXX)"
  PG_STARTED=1
  CONN="$(SIGNALS_PG_PORT="$PG_PORT" SIGNALS_PG_DIR="$PG_DIR" SIGNALS_PG_FAST=1 "$ROOT/scripts/pg.sh" start | tail -n 1)"
  [[ "$CONN" == Host=* ]] || { log "pg.sh start did not print a connection string"; exit 1; }
  export SIGNALS_TEST_POSTGRES="$CONN"
  log "test PostgreSQL: $SIGNALS_TEST_POSTGRES"
fi

# ---------------------------------------------------------------- test tools
IS_ROOT=0; [[ "$(id -u)" == 0 ]] && IS_ROOT=1
apt_install() {
  if (( IS_ROOT )); then
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
  else
    log "warning: $* missing and not root; tests that need it may fail"
    return 1
  fi
}

if [[ -f tests/tools/package.json ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm || true
  fi
  if command -v npm >/dev/null 2>&1; then
    if [[ -f tests/tools/package-lock.json ]]; then
      log "npm ci (tests/tools)"
      (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error) >&2
    else
      log "npm install (tests/tools, no lock file)"
      (cd tests/tools && npm install --no-audit --no-fund --loglevel=error) >&2
    fi
  fi
fi

if [[ -f tests/tools/needs-chromium ]] && ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium || true
fi

# The system python, not whatever python3 is first on PATH (a pyenv one has no Debian packages).
if [[ -f tests/tools/smtp-sink.py ]] && ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  apt_install python3-aiosmtpd || true
fi

# ---------------------------------------------------------------- dotnet test
TEST_LOG="$RUN_DIR/dotnet-test.log"
# Run in the background and `wait`, so that INT/TERM reach our trap at once (bash defers traps
# until a foreground command ends); the trap then stops dotnet test by its pid.
# shellcheck disable=SC2086  # SIGNALS_TEST_ARGS is meant to be word-split
(
  timeout --kill-after=30s "${SIGNALS_TEST_TIMEOUT:-1200}" \
    dotnet test OrleansSignals.sln -c Release --logger "console;verbosity=normal" ${SIGNALS_TEST_ARGS:-} 2>&1 &
  echo $! >"$RUN_DIR/pid"
  rc=0; wait $! || rc=$?   # (set -e is inherited by this subshell)
  echo "$rc" >"$RUN_DIR/rc"
) | tee "$TEST_LOG" &
wait $! || true
DOTNET_RC="$(cat "$RUN_DIR/rc" 2>/dev/null || echo 1)"

read -r PASSED FAILED SKIPPED _ < <(parse_summary "$TEST_LOG")
echo
if (( DOTNET_RC == 124 || DOTNET_RC == 137 )); then
  log "dotnet test timed out after ${SIGNALS_TEST_TIMEOUT:-1200} s"
elif (( DOTNET_RC != 0 )) && (( FAILED == 0 )); then
  log "dotnet test exited with $DOTNET_RC (build failure or test host crash; see above)"
fi
(( PASSED + FAILED == 0 )) && log "no tests ran"
(( SKIPPED > 0 )) && log "$SKIPPED skipped"
if (( FAILED > 0 )); then
  echo "Failed tests (the whole output of each is above):"
  print_failures "$TEST_LOG"
  echo
fi
echo "$PASSED passed, $FAILED failed"

if (( DOTNET_RC != 0 || FAILED > 0 || PASSED + FAILED == 0 )); then
  exit 1
fi
exit 0
