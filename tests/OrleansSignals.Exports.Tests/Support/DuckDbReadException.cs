namespace OrleansSignals.Exports.Tests.Support;

/// <summary>DuckDB rejected a file.</summary>
internal sealed class DuckDbReadException(string message) : Exception(message);
