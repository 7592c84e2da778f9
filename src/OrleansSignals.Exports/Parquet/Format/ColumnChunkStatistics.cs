namespace OrleansSignals.Exports.Parquet.Format;

/// <summary>Statistics of a column chunk.</summary>
/// <param name="NullCount">Always written, even when zero, as the format asks.</param>
/// <param name="NanCount">For DOUBLE columns only: NaNs are left out of min/max.</param>
/// <param name="Min">PLAIN-encoded minimum, or null when not computed.</param>
/// <param name="Max">PLAIN-encoded maximum, or null when not computed.</param>
internal sealed record ColumnChunkStatistics(long NullCount, long? NanCount, byte[]? Min, byte[]? Max);
