namespace OrleansSignals.Exports.Runs;

/// <summary>Lets the API wake this host's worker when it creates a run, instead of waiting for the next poll.</summary>
public sealed class ExportWakeup
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
