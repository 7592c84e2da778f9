namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>What the uploaded row itself says about the person (the oldest, unverified source).</summary>
public sealed record UploadedPerson(long ItemId, int Line, string? FirstName, string? LastName, string? Email, string? Title, string? Company, string? LinkedinUrl);
