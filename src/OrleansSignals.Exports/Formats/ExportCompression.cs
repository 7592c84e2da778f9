namespace OrleansSignals.Exports.Formats;

/// <summary>
/// Compression: for CSV and JSON Lines the whole file is gzipped (<c>.csv.gz</c>, <c>.jsonl.gz</c>);
/// for Parquet the pages inside the file are compressed with any of these codecs (Parquet.Net's).
/// The order is the order the API lists them in.
/// </summary>
public enum ExportCompression
{
    None,
    Snappy,
    Gzip,
    Zstd,
    Brotli,
}
