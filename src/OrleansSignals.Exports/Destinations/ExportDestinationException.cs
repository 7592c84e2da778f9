namespace OrleansSignals.Exports.Destinations;

/// <summary>A destination refused or failed a write. <see cref="Transient"/> failures (timeouts, 5xx, throttling) are retried; others fail the run at once.</summary>
public sealed class ExportDestinationException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}
