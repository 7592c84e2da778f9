namespace OrleansSignals.Exports.Parquet.Format;

/// <summary>What the footer records about one column chunk (ColumnMetaData).</summary>
/// <param name="NumValues">Values including nulls, which for a flat schema is the row count.</param>
/// <param name="TotalUncompressedSize">Page headers plus uncompressed page bodies.</param>
/// <param name="TotalCompressedSize">Page headers plus page bodies as stored.</param>
/// <param name="DataPageOffset">Absolute file offset of the chunk's first page header.</param>
internal sealed record ColumnChunkInfo(
    long NumValues,
    long TotalUncompressedSize,
    long TotalCompressedSize,
    long DataPageOffset,
    ColumnChunkStatistics Statistics);
