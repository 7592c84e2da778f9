namespace OrleansSignals.Enrichment.Leads;

/// <summary>The filters of <c>GET /api/enrichment/leads</c>; they combine (AND).</summary>
public sealed record LeadFilter(bool WorkedAtCustomer, string? Email, string? Company, Guid? BatchId, long After, int Limit);
