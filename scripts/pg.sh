#!/usr/bin/env bash
# scripts/pg.sh: a throwaway local PostgreSQL built from the machine's own binaries.
#
# Usage: scripts/pg.sh start|stop|status|destroy
#   start    initdb (first time) and start; idempotent. The LAST line on stdout is the
#            Npgsql connection string, e.g.
#            Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres
#   stop     stop the server (fast shutdown); succeeds if it is not running
#   status   print "running"/"stopped" (stderr) and the connection string when running;
#            exit 0 when running, 3 when stopped
#   destroy  stop, then delete the data directory
#
# Environment:
#   SIGNALS_PG_PORT  requested TCP port (default 55432). If something else already listens
#                    there, the next free port is used; the chosen port is the one in the
#                    printed connection string.
#   SIGNALS_PG_DIR   data directory (default /tmp/orleanssignals-pg-$SIGNALS_PG_PORT, keyed by
#                    the *requested* port so that stop/status with the same env find it).
#   SIGNALS_PG_FAST  1 = fsync=off, synchronous_commit=off, full_page_writes=off.
#                    Tests only: a crash can corrupt the cluster.
#
# Everything except the connection string goes to stderr.
set -euo pipefail

log() { printf 'pg.sh: %s\n' "$*" >&2; }
die() { printf 'pg.sh: error: %s\n' "$*" >&2; exit 1; }

REQ_PORT="${SIGNALS_PG_PORT:-55432}"
[[ "$REQ_PORT" =~ ^[0-9]+$ ]] && (( REQ_PORT > 0 && REQ_PORT < 65536 )) \
  || die "SIGNALS_PG_PORT must be a TCP port number, got '$REQ_PORT'"
PGDIR="${SIGNALS_PG_DIR:-/tmp/orleanssignals-pg-$REQ_PORT}"
FAST="${SIGNALS_PG_FAST:-0}"
IS_ROOT=0; [[ "$(id -u)" == 0 ]] && IS_ROOT=1

# ---------------------------------------------------------------- binaries
find_bindir() {
  local best="" d
  # Highest major version wins (version-sort the globbed paths).
  while IFS= read -r d; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && best="$d"
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V)
  printf '%s' "$best"
}

BINDIR="${SIGNALS_PG_BIN:-}"
ensure_binaries() {
  [[ -n "$BINDIR" ]] || BINDIR="$(find_bindir)"
  if [[ -z "$BINDIR" ]]; then
    if (( IS_ROOT )); then
      log "no PostgreSQL binaries under /usr/lib/postgresql/*/bin; installing with apt-get"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update >&2 || die "apt-get update failed"
      apt-get install -y --no-install-recommends postgresql >&2 || die "apt-get install postgresql failed"
      BINDIR="$(find_bindir)"
      [[ -n "$BINDIR" ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
    else
      die "no PostgreSQL binaries found (/usr/lib/postgresql/*/bin/initdb). Install them as root: apt-get install -y postgresql (or set SIGNALS_PG_BIN to a directory with initdb and pg_ctl)"
    fi
  fi
  [[ -x "$BINDIR/initdb" && -x "$BINDIR/pg_ctl" ]] || die "no initdb/pg_ctl in $BINDIR"
}

# Run a command as the server's OS user: postgres when we are root, else ourselves.
as_pg() {
  if (( IS_ROOT )); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# ---------------------------------------------------------------- helpers
connstr() { printf 'Host=127.0.0.1;Port=%s;Username=postgres;Database=postgres\n' "$1"; }

is_running() {
  [[ -f "$PGDIR/PG_VERSION" ]] || return 1
  as_pg "$BINDIR/pg_ctl" status -D "$PGDIR" >/dev/null 2>&1
}

# Port of the running server, from line 4 of postmaster.pid.
running_port() { sed -n '4p' "$PGDIR/postmaster.pid" 2>/dev/null | tr -d '[:space:]'; }

port_in_use() {
  local p="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "( sport = :$p )" 2>/dev/null)" ]] && return 0
  fi
  # Fallback / extra check: can we connect?
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && return 0
  return 1
}

pick_port() {
  local p="$REQ_PORT" tries=0
  while port_in_use "$p"; do
    tries=$((tries + 1))
    (( tries <= 200 )) || die "no free port found in $REQ_PORT..$p"
    p=$((p + 1)); (( p < 65536 )) || p=20000
  done
  [[ "$p" == "$REQ_PORT" ]] || log "port $REQ_PORT is taken by another process; using $p"
  printf '%s' "$p"
}

log_tail() {
  local f="$PGDIR/server.log"
  if [[ -f "$f" ]]; then
    printf -- '--- last 40 lines of %s ---\n' "$f" >&2
    tail -n 40 "$f" >&2 || true
    printf -- '--- end of server log ---\n' >&2
  fi
}

make_datadir() {
  local parent
  parent="$(dirname "$PGDIR")"
  mkdir -p "$parent"
  if [[ -e "$PGDIR" && ! -f "$PGDIR/PG_VERSION" && -n "$(ls -A "$PGDIR" 2>/dev/null)" ]]; then
    die "$PGDIR exists, is not empty and is not a PostgreSQL data directory; remove it or set SIGNALS_PG_DIR"
  fi
  mkdir -p "$PGDIR"
  chmod 700 "$PGDIR"
  if (( IS_ROOT )); then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user (install the postgresql package)"
    chown postgres: "$PGDIR"
    runuser -u postgres -- test -w "$PGDIR" \
      || die "user postgres cannot reach $PGDIR (a parent directory is not traversable, e.g. /root); set SIGNALS_PG_DIR elsewhere"
  fi
}

# Unix socket path must fit in sun_path (107 bytes). Keep it in the data dir when it fits.
socket_dir() {
  if (( ${#PGDIR} + 16 <= 100 )); then
    printf '%s' "$PGDIR"
  else
    local d="/tmp/orleanssignals-pgsock-$REQ_PORT"
    mkdir -p "$d"; chmod 700 "$d"
    if (( IS_ROOT )); then chown postgres: "$d"; fi
    log "data dir path too long for a unix socket; socket goes to $d"
    printf '%s' "$d"
  fi
}

write_conf() {
  local port="$1" sock f="$PGDIR/signals.conf" tmp
  sock="$(socket_dir)"
  tmp="$(mktemp)"
  {
    echo "# Written by scripts/pg.sh on every start; edits are overwritten."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$sock'"
    echo "max_connections = 300"
    echo "shared_buffers = 1GB"
    echo "max_locks_per_transaction = 256"
    # Account turns rewrite many rows all the time: with the default 1 GB max_wal_size, checkpoints
    # are forced every few seconds and over half the WAL is full-page images. Checkpoint less often,
    # and compress the page images that remain.
    echo "max_wal_size = 8GB"
    echo "min_wal_size = 1GB"
    echo "checkpoint_timeout = 15min"
    echo "checkpoint_completion_target = 0.9"
    echo "wal_compression = lz4"
    # A new cluster has no WAL segments to recycle: do not write 16 MB of zeros before each new one.
    echo "wal_init_zero = off"
    if [[ "$FAST" == 1 ]]; then
      echo "# SIGNALS_PG_FAST=1: tests only"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    else
      echo "fsync = on"
      echo "synchronous_commit = on"
      echo "full_page_writes = on"
    fi
    # SIGNALS_PG_EXTRA_CONF: more settings, one per line (e.g. shared_preload_libraries = 'pg_stat_statements' to profile a benchmark).
    if [[ -n "${SIGNALS_PG_EXTRA_CONF:-}" ]]; then printf '%s\n' "$SIGNALS_PG_EXTRA_CONF"; fi
  } >"$tmp"
  chmod 644 "$tmp"
  if (( IS_ROOT )); then chown postgres: "$tmp"; fi
  as_pg cp "$tmp" "$f"
  rm -f "$tmp"
  # signals.conf is included last, so it overrides the defaults initdb wrote.
  if ! grep -q "^include_if_exists = 'signals.conf'" "$PGDIR/postgresql.conf"; then
    as_pg sh -c "printf '%s\n' \"include_if_exists = 'signals.conf'\" >> '$PGDIR/postgresql.conf'"
  fi
}

wait_ready() {
  local port="$1" deadline=$((SECONDS + 30))
  while (( SECONDS < deadline )); do
    if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 2 2>/dev/null; then
      return 0
    fi
    sleep 0.3
  done
  log "PostgreSQL did not become ready on 127.0.0.1:$port within 30 s"
  log_tail
  exit 1
}

# ---------------------------------------------------------------- commands
cmd_start() {
  ensure_binaries
  # One start at a time on this machine: port picking and startup are not atomic.
  # (fd 9 is closed for pg_ctl below so the postmaster does not inherit the lock.)
  exec 9>"/tmp/orleanssignals-pg.$(id -u).lock"
  flock -w 120 9 || die "timed out waiting for another pg.sh start"

  if is_running; then
    local p; p="$(running_port)"
    log "already running ($PGDIR, port $p)"
    wait_ready "$p"
    connstr "$p"
    return 0
  fi

  make_datadir
  if [[ ! -f "$PGDIR/PG_VERSION" ]]; then
    log "initdb $PGDIR ($("$BINDIR/initdb" --version))"
    as_pg "$BINDIR/initdb" -D "$PGDIR" --auth=trust -U postgres --encoding=UTF8 --locale=C \
      >"/tmp/orleanssignals-initdb.$$.log" 2>&1 || {
        cat "/tmp/orleanssignals-initdb.$$.log" >&2; rm -f "/tmp/orleanssignals-initdb.$$.log"
        die "initdb failed"
      }
    rm -f "/tmp/orleanssignals-initdb.$$.log"
  fi
  # A stale postmaster.pid after a crash/kill -9: pg_ctl status says not running, and the
  # postmaster itself removes a stale pid file on start, so nothing to do here.

  # A port can look free and still be taken when the server binds it: the kernel also hands out ports of
  # this range to outgoing connections (a test run leaves hundreds on loopback). Then the next port is tried.
  local port attempt
  for attempt in 1 2 3 4 5; do
    port="$(pick_port)"
    write_conf "$port"
    log "starting PostgreSQL on 127.0.0.1:$port (data $PGDIR, fast=$FAST)"
    if as_pg "$BINDIR/pg_ctl" start -D "$PGDIR" -l "$PGDIR/server.log" -w -t 30 -s >/dev/null 2>&1 9>&-; then
      break
    fi
    if (( attempt < 5 )) && tail -n 20 "$PGDIR/server.log" 2>/dev/null | grep -q "Address already in use"; then
      log "port $port was taken as the server bound it; trying the next one"
      REQ_PORT=$((port + 1))
      continue
    fi
    log "pg_ctl start failed"
    log_tail
    exit 1
  done
  wait_ready "$port"
  log "ready"
  connstr "$port"
}

cmd_stop() {
  ensure_binaries
  if is_running; then
    log "stopping PostgreSQL ($PGDIR)"
    as_pg "$BINDIR/pg_ctl" stop -D "$PGDIR" -m fast -w -t 60 -s >&2 || die "pg_ctl stop failed"
  else
    log "not running ($PGDIR)"
  fi
}

cmd_status() {
  ensure_binaries
  if is_running; then
    local p; p="$(running_port)"
    log "running ($PGDIR, port $p)"
    connstr "$p"
  else
    log "stopped ($PGDIR)"
    exit 3
  fi
}

cmd_destroy() {
  cmd_stop
  if [[ -d "$PGDIR" ]]; then
    log "removing $PGDIR"
    rm -rf -- "$PGDIR"
  fi
}

case "${1:-}" in
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status ;;
  destroy) cmd_destroy ;;
  *) echo "usage: $0 start|stop|status|destroy   (env: SIGNALS_PG_PORT, SIGNALS_PG_DIR, SIGNALS_PG_FAST=1)" >&2; exit 2 ;;
esac
