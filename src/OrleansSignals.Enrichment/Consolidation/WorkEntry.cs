namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>
/// A row of <c>person_work_history</c>. <see cref="IsCurrent"/>: no end date (or "present"). <see cref="Former"/>: an
/// ended stint at a company the person is not at now (no current stint there, and not their current company).
/// </summary>
public sealed record WorkEntry(int Ordinal, string CompanyName, string CompanyNameNormalized, string? Title, DateOnly? StartDate, DateOnly? EndDate,
    bool IsCurrent, long SourceResultId, bool Former = false);
