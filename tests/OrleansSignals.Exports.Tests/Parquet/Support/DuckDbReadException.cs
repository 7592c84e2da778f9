namespace OrleansSignals.Exports.Tests.Parquet.Support;

/// <summary>DuckDB rejected a file.</summary>
internal sealed class DuckDbReadException(string message) : Exception(message);
