using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// What a process allocated, by type, from the GCAllocationTick events of a trace taken with
// `dotnet-trace collect --profile gc-verbose` (one event per ~100 KB allocated, so the shares are samples).
// Usage: OrleansSignals.Bench.Alloc <trace.nettrace> [type-substring]: with a substring, also the call stacks
// that allocated the types whose names contain it, largest first.
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: OrleansSignals.Bench.Alloc <trace.nettrace> [type-substring]");
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
