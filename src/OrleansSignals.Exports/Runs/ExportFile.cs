namespace OrleansSignals.Exports.Runs;

/// <summary>One file of a run: its path under the destination, rows, bytes and SHA-256 (hex) of its bytes.</summary>
public sealed record ExportFile(string Path, long Rows, long Bytes, string Sha256);
