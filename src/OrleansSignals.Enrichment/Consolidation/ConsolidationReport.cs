namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>
/// What a consolidation did. <see cref="Unmapped"/>: paths present in responses that the provider's mapping does
/// not read; <see cref="Invalid"/>: mapped paths whose value could not be used (a date that is not a date).
/// </summary>
public sealed record ConsolidationReport(long Items, long Results, long Leads, long WorkHistoryRows, double Seconds,
    IReadOnlyList<ConsolidationReport.PathCount> Unmapped, IReadOnlyList<ConsolidationReport.PathCount> Invalid)
{
    public sealed record PathCount(string Provider, string Path, long Count);
}
