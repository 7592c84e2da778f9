namespace OrleansSignals.Exports.Parquet.Format;

/// <summary>What the footer records about one row group; <see cref="Columns"/> is in schema order.</summary>
internal sealed record RowGroupInfo(long NumRows, long FileOffset, IReadOnlyList<ColumnChunkInfo> Columns)
{
    public long TotalByteSize => Columns.Sum(c => c.TotalUncompressedSize);

    public long TotalCompressedSize => Columns.Sum(c => c.TotalCompressedSize);
}
