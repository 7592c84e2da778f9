namespace OrleansSignals.Cli.Api;

/// <summary>One part of a run: <c>location</c> is the path within the workspace's export folder, or the <c>s3://</c> URL.</summary>
public sealed record ExportRunFile(string Path, string Location, long Rows, long Bytes, string Sha256);
