namespace OrleansSignals.Api.Exports;

/// <summary>Body of <c>POST /api/datalake/schedules</c>: an export plus <c>cadence</c> (daily, weekly, monthly) and <c>at</c> ("HH:mm", UTC).</summary>
public sealed record ScheduleRequest : ExportRequest
{
    public string? Cadence { get; init; }
    public string? At { get; init; }
}
