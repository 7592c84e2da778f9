using OrleansSignals.Exports.Runs;

namespace OrleansSignals.Exports.Schedules;

/// <summary>A recurring export: what to export (<see cref="Spec"/>, without a range) and when (<see cref="Cadence"/> at <see cref="At"/> UTC).</summary>
public sealed record ExportSchedule(Guid Id, string WorkspaceId, ExportRunSpec Spec, ExportCadence Cadence, TimeOnly At, DateTimeOffset CreatedAt);
