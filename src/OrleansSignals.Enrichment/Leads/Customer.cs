namespace OrleansSignals.Enrichment.Leads;

/// <summary>A customer company as given (<see cref="Value"/>), read as a name or a domain, and its company key.</summary>
public sealed record Customer(string Value, string Kind, string NameNormalized);
