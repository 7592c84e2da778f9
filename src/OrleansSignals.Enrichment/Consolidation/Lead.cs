namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>A row of <c>final_leads</c>.</summary>
public sealed record Lead(long ItemId, int Line, string? FirstName, string? LastName, string? FullName, string? Email, bool EmailVerified,
    string? LinkedinUrl, string? Company, string? Title);
