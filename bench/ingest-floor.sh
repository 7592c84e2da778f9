#!/usr/bin/env bash
# The floor under any ingest design: what bench/ingest.sh measures, minus the grains.
# Usage: bench/ingest-floor.sh [runs=3] [spread-hours=240]
# Builds a throwaway worktree of HEAD with bench/floor/ingest-floor.patch applied: POST /api/events still
# reads, parses, validates and de-duplicates the batch and stores its events with binary COPY in one
# transaction, but applies nothing to account state (no grain, no history, no outbox). The product is
# never built or shipped this way; the patch exists only to measure how much of the 4x-of-COPY budget
# HTTP, parsing, de-duplication and storing the events use up on their own (docs/benchmarks.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TREE="$(mktemp -d /tmp/orleanssignals-floor.XXXXXX)"
cleanup() { git -C "$ROOT" worktree remove --force "$TREE" >/dev/null 2>&1 || rm -rf "$TREE"; }
trap cleanup EXIT
git -C "$ROOT" worktree add -q --detach "$TREE" HEAD
git -C "$TREE" apply "$ROOT/bench/floor/ingest-floor.patch"
bash "$TREE/bench/ingest.sh" "${1:-3}" "${2:-240}"
