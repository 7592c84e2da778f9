using System.Collections.Concurrent;

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

    // Callers add without a lock: thousands of grain turns enqueue at once, and a lock they all take spun for ~4% of
    // the host's CPU during ingest (docs/benchmarks.md "Session 8"). The lock only guards sleeping and waking.
    private readonly ConcurrentQueue<Item> _queue = new();
    private readonly object _lock = new();
    private int _sleepers;
    private volatile bool _closed;
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
        if (_closed)
        {
            completion.SetException(new ObjectDisposedException(nameof(BatchWorker<TRequest, TResult>)));
            return completion.Task;
        }
        _queue.Enqueue(new Item(request, completion));
        // The enqueue is a full fence, as is a loop's increment of _sleepers before it looks at the queue: either that
        // loop sees this item, or this sees the loop asleep (or about to be) and wakes it.
        if (Volatile.Read(ref _sleepers) > 0) WakeOne();
        if (_closed) FailLeftovers();
        return completion.Task;
    }

    public void Dispose()
    {
        _closed = true;
        lock (_lock) Monitor.PulseAll(_lock);
    }

    private void WakeOne()
    {
        lock (_lock) Monitor.Pulse(_lock);
    }

    /// <summary>Requests added while the worker closed: no loop takes them any more.</summary>
    private void FailLeftovers()
    {
        while (_queue.TryDequeue(out var item)) item.Completion.TrySetException(new ObjectDisposedException(nameof(BatchWorker<TRequest, TResult>)));
    }

    private void Run()
    {
        var batch = new List<Item>();
        while (true)
        {
            if (_queue.IsEmpty)
            {
                lock (_lock)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (_queue.IsEmpty && !_closed) Monitor.Wait(_lock);
                    Interlocked.Decrement(ref _sleepers);
                }
                if (_queue.IsEmpty && _closed) return;
            }
            var weight = 0;
            while (weight < _maxWeight && _queue.TryDequeue(out var item))
            {
                batch.Add(item);
                weight += _weight(item.Request);
            }
            if (batch.Count == 0) continue;  // another loop took them
            // More than a batch's worth: another loop takes the rest meanwhile.
            if (!_queue.IsEmpty && Volatile.Read(ref _sleepers) > 0) WakeOne();
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
