namespace OrleansSignals.Exports.Parquet;

/// <summary>Page compression codecs. Only codecs .NET's own library implements are offered.</summary>
public enum ParquetCompression
{
    /// <summary>UNCOMPRESSED: fastest to write, largest files.</summary>
    None,

    /// <summary>GZIP (one gzip member per page): read by every Parquet reader.</summary>
    Gzip,

    /// <summary>BROTLI: smaller files than GZIP at a similar speed; not every reader has it.</summary>
    Brotli,
}
