#!/usr/bin/env bash
# The floors under ingest: what bench/ingest.sh measures, minus parts of the work.
# Usage: bench/ingest-floor.sh <journal|calls> [runs=3] [spread-hours=240]
#   journal: POST /api/events reads, parses, validates and appends the events to the accounts' journals (event ids,
#            positions, the event rows with their indexes) and answers; no grain applies them.
#   calls:   as the product, but each account grain answers ApplyAsync at once: the journal plus one Orleans call
#            per account and request, with no account state, transitions or checkpoints.
# Builds a throwaway worktree of HEAD with bench/floor/<level>.patch applied (bench/floor/README.md). The product
# is never built or shipped this way; the floors say how much of ingest's time each layer takes (docs/benchmarks.md).
# Same environment variables as bench/ingest.sh (BENCH_PG_PORT, BENCH_PG_STATEMENTS...).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LEVEL="${1:-}"
[[ "$LEVEL" == journal || "$LEVEL" == calls ]] || { echo "usage: bench/ingest-floor.sh <journal|calls> [runs=3] [spread-hours=240]" >&2; exit 2; }
TREE="$(mktemp -d /tmp/orleanssignals-floor.XXXXXX)"
cleanup() { git -C "$ROOT" worktree remove --force "$TREE" >/dev/null 2>&1 || rm -rf "$TREE"; }
trap cleanup EXIT
git -C "$ROOT" worktree add -q --detach "$TREE" HEAD
git -C "$TREE" apply "$ROOT/bench/floor/$LEVEL.patch"
echo "floor: $LEVEL (bench/floor/$LEVEL.patch on $(git -C "$ROOT" rev-parse --short HEAD))"
dotnet build "$TREE/src/OrleansSignals.Host" -c Release -v q -nologo >/dev/null
# The load generator comes from this tree, the host from the patched one.
BENCH_HOST_ROOT="$TREE" bash "$ROOT/bench/ingest.sh" "${2:-3}" "${3:-240}"
