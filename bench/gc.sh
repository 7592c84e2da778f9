#!/usr/bin/env bash
# Each garbage collection of the host while it serves GET /api/accounts/{id} at ~5,000 requests/s.
# Usage: bench/gc.sh [seconds=20]. Runs bench/latency.sh once (same environment variables), takes a
# `dotnet-trace --profile gc-collect` of the host for the given seconds once the paced phase has started, and
# prints each collection's generation, pause, suspension and survivors with bench/OrleansSignals.Bench.Alloc --gcs.
# The trace costs little (GC events only), but a traced run's latency is still not a figure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_TRACED="${1:-20}"
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
dotnet build "$ROOT/bench/OrleansSignals.Bench.Alloc" -c Release -v q -nologo >/dev/null
out="$(mktemp -d)"
"$ROOT/bench/latency.sh" 1 "$((SECONDS_TRACED + 15))s" >"$out/latency.log" 2>&1 &
latency=$!
# The paced phase is the wrk with 60 connections (the warm-up uses 16).
for _ in $(seq 1 600); do pgrep -f 'wrk -t2 -c60' >/dev/null && break; sleep 1; done
pgrep -f 'wrk -t2 -c60' >/dev/null || { echo "gc.sh: the paced phase did not start (see $out/latency.log)" >&2; exit 1; }
host="$(pgrep -f 'OrleansSignals.Host.dll' | head -n 1)"
sleep 5
dotnet-trace collect -p "$host" --profile gc-collect --duration "00:00:00:$(printf '%02d' "$SECONDS_TRACED")" -o "$out/host.nettrace" >/dev/null
wait "$latency" || true
grep -E '99%|GC:' "$out/latency.log" || true
dotnet "$ROOT/bench/OrleansSignals.Bench.Alloc/bin/Release/net10.0/OrleansSignals.Bench.Alloc.dll" --gcs "$out/host.nettrace"
echo "trace: $out/host.nettrace"
