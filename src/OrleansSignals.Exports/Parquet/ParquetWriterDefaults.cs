namespace OrleansSignals.Exports.Parquet;

/// <summary>Defaults and limits of <see cref="ParquetWriterOptions"/>.</summary>
public static class ParquetWriterDefaults
{
    /// <summary>GZIP: compressed, and every Parquet reader can read it.</summary>
    public const ParquetCompression Compression = ParquetCompression.Gzip;

    /// <summary>Rows per row group (128 Ki), inside the 100k-1M range readers parallelise well over.</summary>
    public const int RowGroupRows = 128 * 1024;

    /// <summary>Cut a row group early once its buffered pages reach 128 MiB, so wide rows keep memory bounded.</summary>
    public const int RowGroupBytes = 128 * 1024 * 1024;

    /// <summary>Target uncompressed size of a data page (1 MiB), as the format recommends.</summary>
    public const int PageSize = 1024 * 1024;

    public const int MinRowGroupRows = 1;
    public const int MaxRowGroupRows = 16 * 1024 * 1024;
    public const int MinRowGroupBytes = 64 * 1024;

    /// <summary>A row group's buffer lives in pooled arrays, which stay well under 2 GiB.</summary>
    public const int MaxRowGroupBytes = 1024 * 1024 * 1024;

    public const int MinPageSize = 1024;
    public const int MaxPageSize = 64 * 1024 * 1024;

    /// <summary>The created_by string, in the form the format asks for ("app version x").</summary>
    public const string CreatedBy = "OrleansSignals.Exports version 1.0.0";
}
