namespace OrleansSignals.Bench.Exports;

/// <summary>One measured export: <c>history|snapshot : format : compression</c>.</summary>
public sealed record BenchCase(string Source, string Format, string Compression)
{
    public string Dataset => Source == "history" ? "lifecycle-event-history" : "insight-snapshot";

    public static BenchCase Parse(string text) => text.Split(':') is [var source, var format, var compression] && source is "history" or "snapshot"
        ? new BenchCase(source, format, compression)
        : throw new ArgumentException($"A case is history|snapshot:format:compression, got '{text}'");

    public override string ToString() => $"{Dataset} {Format}/{Compression}";
}
