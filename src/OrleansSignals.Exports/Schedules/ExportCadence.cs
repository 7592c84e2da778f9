namespace OrleansSignals.Exports.Schedules;

/// <summary>How often a schedule runs: every day, every Monday, or the first of every month, at its time of day (UTC).</summary>
public enum ExportCadence
{
    Daily,
    Weekly,
    Monthly,
}
