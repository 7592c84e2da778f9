namespace OrleansSignals.Exports.Formats;

/// <summary>
/// Compression: for CSV and JSON Lines the whole file is gzipped (<c>.csv.gz</c>, <c>.jsonl.gz</c>);
/// for Parquet the pages inside the file are compressed (gzip or brotli).
/// </summary>
public enum ExportCompression
{
    None,
    Gzip,
    Brotli,
}
