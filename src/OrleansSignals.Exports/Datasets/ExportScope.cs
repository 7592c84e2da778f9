namespace OrleansSignals.Exports.Datasets;

/// <summary>What one run exports: a workspace, a time range (ranged datasets: <c>From</c> inclusive, <c>To</c> exclusive), the snapshot instant and the traits asked for.</summary>
public sealed record ExportScope(string WorkspaceId, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset SnapshotAt, IReadOnlyList<string> Traits);
