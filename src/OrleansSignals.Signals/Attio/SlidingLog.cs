namespace OrleansSignals.Signals.Attio;

/// <summary>
/// At most <c>limit</c> starts in any window of <c>window</c>: remembers the last <c>limit</c> start times and waits
/// until the oldest has left the window. Exact for any window position, unlike fixed or segmented windows.
/// </summary>
public sealed class SlidingLog(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _starts = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (_starts.Count >= limit)
            {
                var wait = _starts.Peek() + window - time.GetUtcNow();
                if (wait <= TimeSpan.Zero)
                {
                    _starts.Dequeue();
                    continue;
                }
                await Task.Delay(wait, time, cancellationToken);
            }
            _starts.Enqueue(time.GetUtcNow());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Attio said to wait (429 Retry-After): nothing starts before then.</summary>
    public async Task PauseUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var wait = until - time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
