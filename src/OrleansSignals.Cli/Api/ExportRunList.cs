namespace OrleansSignals.Cli.Api;

/// <summary>Body of <c>GET /api/datalake/exports</c>.</summary>
public sealed record ExportRunList(IReadOnlyList<ExportRun> Items);
