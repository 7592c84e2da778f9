namespace OrleansSignals.Enrichment.Upload;

/// <summary>The file is not well-formed CSV; <see cref="Line"/> is the 1-based line where the bad row starts.</summary>
public sealed class CsvFormatException(int line, string problem) : Exception($"line {line}: {problem}")
{
    public int Line { get; } = line;
}
