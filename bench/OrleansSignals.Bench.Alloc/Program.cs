using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
// Analysis has a TraceLog of its own; the allocation profile reads the Etlx one.
using TraceLog = Microsoft.Diagnostics.Tracing.Etlx.TraceLog;

// What a process allocated, by type, from the GCAllocationTick events of a trace taken with
// `dotnet-trace collect --profile gc-verbose` (one event per ~100 KB allocated, so the shares are samples).
// Usage: OrleansSignals.Bench.Alloc <trace.nettrace> [type-substring]: with a substring, also the call stacks
// that allocated the types whose names contain it, largest first.
//        OrleansSignals.Bench.Alloc --gcs <trace.nettrace>: each garbage collection of the trace (taken with
// `--profile gc-collect` or gc-verbose): generation, why, how long it paused the process and how long suspending
// the threads took, and what survived.
if (args is ["--gcs", var gcTrace]) return Collections(gcTrace);
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: OrleansSignals.Bench.Alloc <trace.nettrace> [type-substring] | --gcs <trace.nettrace>");
    return 2;
}
var focus = args.Length > 1 ? args[1] : null;
var byType = new Dictionary<string, long>();
var byStack = new Dictionary<string, long>();
long total = 0;
using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
foreach (var ev in log.Events)
{
    if (ev is not GCAllocationTickTraceData tick) continue;
    var type = tick.TypeName ?? "?";
    byType[type] = byType.GetValueOrDefault(type) + tick.AllocationAmount64;
    total += tick.AllocationAmount64;
    if (focus is null || !type.Contains(focus, StringComparison.Ordinal)) continue;
    var frames = new List<string>();
    for (var frame = tick.CallStack(); frame is not null && frames.Count < 12; frame = frame.Caller)
    {
        var method = frame.CodeAddress.FullMethodName;
        if (!string.IsNullOrEmpty(method)) frames.Add(method.Length > 110 ? method[..110] : method);
    }
    var stack = string.Join("\n        <- ", frames);
    byStack[stack] = byStack.GetValueOrDefault(stack) + tick.AllocationAmount64;
}
if (total == 0)
{
    Console.Error.WriteLine("no allocation ticks in the trace: was it taken with --profile gc-verbose?");
    return 1;
}
Console.WriteLine($"sampled allocations: {total / 1e6:F1} MB");
foreach (var (type, bytes) in byType.OrderByDescending(p => p.Value).Take(40))
    Console.WriteLine($"{100.0 * bytes / total,6:F1}%  {type}");
foreach (var (stack, bytes) in byStack.OrderByDescending(p => p.Value).Take(12))
    Console.WriteLine($"\n{100.0 * bytes / total,6:F1}%  {stack}");
return 0;

static int Collections(string trace)
{
    using var source = new EventPipeEventSource(trace);
    source.NeedLoadedDotNetRuntimes();
    source.Process();
    var gcs = source.Processes().SelectMany(p => p.LoadedDotNetRuntime()?.GC.GCs ?? []).Where(gc => gc.PauseDurationMSec > 0).ToList();
    if (gcs.Count == 0)
    {
        Console.Error.WriteLine("no garbage collections in the trace: was it taken with --profile gc-collect?");
        return 1;
    }
    Console.WriteLine("  #  gen  type            reason              pause ms  suspend ms  promoted MB  gen0 budget MB  heap after MB");
    foreach (var gc in gcs)
        Console.WriteLine($"{gc.Number,3}  {gc.Generation,3}  {gc.Type,-14}  {gc.Reason,-18}  {gc.PauseDurationMSec,8:F1}  {gc.SuspendDurationMSec,10:F1}" +
                          $"  {gc.PromotedMB,11:F1}  {gc.GenBudgetMB(Gens.Gen0),14:F1}  {gc.HeapSizeAfterMB,13:F1}");
    // Where marking spent its time, by root kind, summed over heaps (GCMarkWithType events; absent in some traces).
    foreach (var gc in gcs.Where(gc => gc.PerHeapMarkTimes is { Count: > 0 }))
    {
        var times = new Dictionary<MarkRootType, (double Ms, double MB)>();
        foreach (var heap in gc.PerHeapMarkTimes.Values)
            for (var kind = 0; kind < heap.MarkTimes.Length; kind++)
            {
                var (ms, mb) = times.GetValueOrDefault((MarkRootType)kind);
                times[(MarkRootType)kind] = (ms + heap.MarkTimes[kind], mb + heap.MarkPromoted[kind] / 1e6);
            }
        Console.WriteLine($"  #{gc.Number} marking: " + string.Join(", ", times.Where(t => t.Value.Ms >= 0.05)
            .Select(t => $"{t.Key} {t.Value.Ms:F1} ms ({t.Value.MB:F1} MB)")));
    }
    var pauses = gcs.Select(gc => gc.PauseDurationMSec).Order().ToList();
    Console.WriteLine($"{gcs.Count} collections, {pauses.Sum():F0} ms paused; median pause {pauses[pauses.Count / 2]:F1} ms, longest {pauses[^1]:F1} ms");
    return 0;
}
