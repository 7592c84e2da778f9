namespace OrleansSignals.Exports.Formats;

/// <summary>File formats an export writes; the wire names are lower case (<c>csv</c>, <c>jsonl</c>, <c>parquet</c>).</summary>
public enum ExportFormat
{
    Csv,
    Jsonl,
    Parquet,
}
