#!/usr/bin/env bash
# What the host allocates during ingest, by type (and, with a type substring, by call stack).
# Usage: bench/alloc.sh [type-substring]. Runs bench/ingest.sh once (same environment variables), takes a 15 s
# `dotnet-trace --profile gc-verbose` of the host 100 s after it starts (the timed phase on this machine; set
# ALLOC_TRACE_AFTER to move it), and prints the shares with bench/OrleansSignals.Bench.Alloc.
# A traced run's throughput is not a figure: the trace slows the host while it records.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
dotnet build "$ROOT/bench/OrleansSignals.Bench.Alloc" -c Release -v q -nologo >/dev/null
out="$(mktemp -d)"
"$ROOT/bench/ingest.sh" 1 240 >"$out/ingest.log" 2>&1 &
ingest=$!
for _ in $(seq 1 120); do
  host="$(pgrep -f 'OrleansSignals.Host.dll' | head -n 1 || true)"; [[ -n "$host" ]] && break; sleep 1
done
[[ -n "${host:-}" ]] || { echo "alloc.sh: the host did not start (see $out/ingest.log)" >&2; exit 1; }
sleep "${ALLOC_TRACE_AFTER:-100}"
dotnet-trace collect -p "$host" --profile gc-verbose --duration 00:00:00:15 -o "$out/host.nettrace" >/dev/null
wait "$ingest" || true
grep -E 'ingest:|alloc:' "$out/ingest.log" || true
dotnet "$ROOT/bench/OrleansSignals.Bench.Alloc/bin/Release/net10.0/OrleansSignals.Bench.Alloc.dll" "$out/host.nettrace" "$@"
echo "trace: $out/host.nettrace"
