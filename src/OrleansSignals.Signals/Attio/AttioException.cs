namespace OrleansSignals.Signals.Attio;

/// <summary>Attio refused or failed a request. <see cref="Permanent"/>: retrying the same request cannot help (4xx other than 429).</summary>
public sealed class AttioException(string message, bool permanent) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}
