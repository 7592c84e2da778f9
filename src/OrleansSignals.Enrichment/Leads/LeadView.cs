namespace OrleansSignals.Enrichment.Leads;

/// <summary>A lead as <c>GET /api/enrichment/leads</c> returns it; <see cref="CustomerMatches"/> only with <c>worked_at_customer=true</c>.</summary>
public sealed record LeadView(
    long Id,
    Guid BatchId,
    int SourceLine,
    string? FirstName,
    string? LastName,
    string? FullName,
    string? Email,
    bool EmailVerified,
    string? LinkedinUrl,
    string? Company,
    string? Title,
    IReadOnlyList<LeadView.CustomerMatch>? CustomerMatches)
{
    /// <summary>A past stint at a customer: which customer, the company as the provider spelled it, and when.</summary>
    public sealed record CustomerMatch(string Customer, string CompanyName, string? Title, DateOnly? StartDate, DateOnly? EndDate);
}
