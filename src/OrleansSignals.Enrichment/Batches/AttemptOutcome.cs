namespace OrleansSignals.Enrichment.Batches;

/// <summary>How one call to a provider ended. <see cref="Retryable"/>: 429, 408, 5xx, a timeout or a network error.</summary>
public sealed record AttemptOutcome(string Status, int? HttpStatus, string? Payload, string? Error, TimeSpan? RetryAfter)
{
    public const string Succeeded = "succeeded";
    public const string Transient = "transient";
    public const string Rejected = "rejected";

    public bool Retryable => Status == Transient;
}
