namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// PostHog refused or failed a request, or is not configured for the workspace. <see cref="Permanent"/>: retrying the
/// same request cannot help (4xx other than 429, a refused host, no integration).
/// </summary>
public sealed class PostHogException(string message, bool permanent) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}
