namespace OrleansSignals.Exports.Parquet;

/// <summary>One column of a flat Parquet schema.</summary>
/// <param name="Name">The column name written to the schema; unique within the schema.</param>
/// <param name="Type">The value type.</param>
/// <param name="Nullable">
/// <see langword="true"/> writes an OPTIONAL column (nulls allowed, definition levels stored);
/// <see langword="false"/> writes a REQUIRED column, which rejects nulls.
/// </param>
public sealed record ParquetColumn(string Name, ParquetType Type, bool Nullable = true);
