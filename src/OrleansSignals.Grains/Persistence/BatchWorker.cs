using System.Threading.Channels;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Collects requests from many grains and hands them to one handler call per batch: many turns then
/// share one database round trip (group commit). The handler completes every request's task.
/// </summary>
/// <remarks>
/// The loops run on dedicated threads with synchronous I/O. On the thread pool, each await of a batch
/// would queue behind the thousands of grain continuations a large request fans out, and the batch
/// (which every one of those grains waits for) would take several times longer than the database does.
/// </remarks>
internal sealed class BatchWorker<TRequest, TResult> : IDisposable
{
    public sealed record Item(TRequest Request, TaskCompletionSource<TResult> Completion);

    // Reads are lock-free (TryRead); only a reader with nothing to do blocks.
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Action<IReadOnlyList<Item>> _handler;
    private readonly int _maxBatch;

    public BatchWorker(string name, Action<IReadOnlyList<Item>> handler, int maxBatch, int concurrency)
    {
        _handler = handler;
        _maxBatch = maxBatch;
        for (var i = 0; i < concurrency; i++) new Thread(Run) { IsBackground = true, Name = $"{name} {i + 1}" }.Start();
    }

    public Task<TResult> EnqueueAsync(TRequest request)
    {
        // Continuations run on the pool, never inline on the batch thread.
        var completion = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item(request, completion))) completion.SetException(new ObjectDisposedException(nameof(BatchWorker<TRequest, TResult>)));
        return completion.Task;
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private void Run()
    {
        var batch = new List<Item>(_maxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
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
}
