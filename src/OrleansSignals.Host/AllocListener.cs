using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

internal sealed class AllocListener : EventListener
{
    public static readonly ConcurrentDictionary<string, long> ByType = new();
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick")) return;
        var name = e.Payload![e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload![e.PayloadNames!.IndexOf("AllocationAmount64")]);
        ByType.AddOrUpdate(name, amount, (_, v) => v + amount);
    }
    public static void Dump()
    {
        var total = ByType.Values.Sum();
        foreach (var (k, v) in ByType.OrderByDescending(p => p.Value).Take(30)) Console.Error.WriteLine($"ALLOC {100.0 * v / total,6:F2}% {v / 1048576,6} MB {k}");
    }
}
