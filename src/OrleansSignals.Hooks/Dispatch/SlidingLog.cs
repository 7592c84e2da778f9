namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// At most <c>limit</c> requests in any window of <c>window</c>, as the server counts them. A request's slot is
/// released by when its answer came back (it reached the server before that), and the next request may only start a
/// full window after the slot <c>limit</c> places before it was released: so any two requests <c>limit</c> apart
/// arrive at least a window apart, whatever the network delays.
/// </summary>
public sealed class SlidingLog(int limit, TimeSpan window, TimeProvider time)
{
    /// <summary>One request's place in the log; <see cref="Complete"/> it when its answer (or failure) is in.</summary>
    public sealed class Slot
    {
        private readonly TaskCompletionSource<DateTimeOffset> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal Task<DateTimeOffset> Done => _done.Task;

        public void Complete(DateTimeOffset at) => _done.TrySetResult(at);
    }

    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(10);
    private readonly Queue<Slot> _slots = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<Slot> WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (_slots.Count >= limit)
            {
                var doneAt = await _slots.Peek().Done.WaitAsync(cancellationToken);
                // Timers round to milliseconds and may wake a little early: wait until the window has really passed,
                // with a margin, or the server would count this request in the same window as the one it replaces.
                TimeSpan wait;
                while ((wait = doneAt + window + Margin - time.GetUtcNow()) > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
                _slots.Dequeue();
            }
            var slot = new Slot();
            _slots.Enqueue(slot);
            return slot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The server said to wait (429 Retry-After): nothing starts before then.</summary>
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
