namespace OrleansSignals.Exports.Parquet;

/// <summary>Page compression codecs: .NET's own GZIP and Brotli, Snappy (Snappier) and Zstandard (ZstdSharp).</summary>
public enum ParquetCompression
{
    /// <summary>UNCOMPRESSED: fastest to write, largest files.</summary>
    None,

    /// <summary>GZIP (one gzip member per page): read by every Parquet reader.</summary>
    Gzip,

    /// <summary>BROTLI: smaller files than GZIP at a similar speed; not every reader has it.</summary>
    Brotli,

    /// <summary>SNAPPY (raw block per page): fast, light compression; what Spark and pyarrow write by default.</summary>
    Snappy,

    /// <summary>ZSTD (one frame per page): the smallest files here at about the cost of GZIP or less.</summary>
    Zstd,
}
