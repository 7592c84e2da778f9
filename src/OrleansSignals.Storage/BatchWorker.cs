namespace OrleansSignals.Storage;

/// <summary>
/// Collects requests from many callers and hands them to one handler call per batch: many turns then
/// share one database round trip (group commit). The handler completes every request's task.
/// </summary>
/// <remarks>
/// The loops run on dedicated threads with synchronous I/O. On the thread pool, each await of a batch
/// would queue behind the thousands of grain continuations a large request fans out, and the batch
/// (which every one of those grains waits for) would take several times longer than the database does.
/// An idle loop sleeps in <see cref="Monitor.Wait(object)"/>, which does not spin: blocking on a task (the channel
/// this replaced) spins first, and with a dozen loops waking per batch on two cores that spinning took about a sixth
/// of the host's CPU during ingest (a dotnet-trace CPU sample, docs/benchmarks.md "Session 7").
/// </remarks>
public sealed class BatchWorker<TRequest, TResult> : IDisposable
{
    public sealed record Item(TRequest Request, TaskCompletionSource<TResult> Completion);

    private readonly Queue<Item> _queue = new();
    private readonly object _lock = new();
    private bool _closed;
    private readonly Action<IReadOnlyList<Item>> _handler;
    private readonly int _maxWeight;
    private readonly Func<TRequest, int> _weight;

    /// <param name="maxWeight">A batch stops growing once its requests weigh this much (a request that alone weighs more is a batch of its own).</param>
    /// <param name="weight">A request's weight (default 1: <paramref name="maxWeight"/> is then a count).</param>
    public BatchWorker(string name, Action<IReadOnlyList<Item>> handler, int maxWeight, int concurrency, Func<TRequest, int>? weight = null)
    {
        _handler = handler;
        _maxWeight = maxWeight;
        _weight = weight ?? (static _ => 1);
        for (var i = 0; i < concurrency; i++) new Thread(Run) { IsBackground = true, Name = $"{name} {i + 1}" }.Start();
    }

    public Task<TResult> EnqueueAsync(TRequest request)
    {
        // Continuations run on the pool, never inline on the batch thread.
        var completion = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closed)
            {
                completion.SetException(new ObjectDisposedException(nameof(BatchWorker<TRequest, TResult>)));
                return completion.Task;
            }
            _queue.Enqueue(new Item(request, completion));
            // One request wakes one loop; a loop that finds more than a batch's worth wakes the next itself.
            if (_queue.Count == 1) Monitor.Pulse(_lock);
        }
        return completion.Task;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }
    }

    private void Run()
    {
        var batch = new List<Item>();
        while (true)
        {
            lock (_lock)
            {
                while (_queue.Count == 0)
                {
                    if (_closed) return;
                    Monitor.Wait(_lock);
                }
                var weight = 0;
                while (weight < _maxWeight && _queue.TryDequeue(out var item))
                {
                    batch.Add(item);
                    weight += _weight(item.Request);
                }
                if (_queue.Count > 0) Monitor.Pulse(_lock);
            }
            try
            {
                _handler(batch);
            }
            catch (Exception ex)
            {
                foreach (var item in batch) item.Completion.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// Runs <paramref name="commit"/> on the whole batch; if it throws anything and the batch holds more than
    /// one request, runs it on each request alone, so that one request's bad data fails that request only.
    /// </summary>
    public static void CommitIsolated(IReadOnlyList<Item> batch, Action<IReadOnlyList<Item>> commit, Action<Exception, int>? onIsolating = null)
    {
        try
        {
            commit(batch);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            onIsolating?.Invoke(ex, batch.Count);
            foreach (var item in batch)
            {
                if (item.Completion.Task.IsCompleted) continue;
                try
                {
                    commit([item]);
                }
                catch (Exception single)
                {
                    item.Completion.TrySetException(single);
                }
            }
        }
    }
}
