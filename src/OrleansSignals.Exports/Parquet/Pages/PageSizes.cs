namespace OrleansSignals.Exports.Parquet.Pages;

/// <summary>Sizes of a written page, header included, before and after compression.</summary>
internal readonly record struct PageSizes(long Uncompressed, long Compressed);
