namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>A row of <c>person_work_history</c>. <see cref="IsCurrent"/>: no end date (or "present").</summary>
public sealed record WorkEntry(int Ordinal, string CompanyName, string CompanyNameNormalized, string? Title, DateOnly? StartDate, DateOnly? EndDate,
    bool IsCurrent, long SourceResultId);
