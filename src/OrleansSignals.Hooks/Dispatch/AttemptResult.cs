namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// What one attempt got back: a status (null when no response came), or an error. <see cref="Refused"/>: the
/// private-network guard refused the destination, so no connection was made (a permanent failure).
/// </summary>
public sealed record AttemptResult(int? StatusCode, TimeSpan Latency, string? Error, string? ResponseExcerpt, TimeSpan? RetryAfter, bool Refused = false)
{
    /// <summary>Success is 2xx only: a redirect is not followed, so it is a failure too.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    public bool Gone => StatusCode == 410;
}
