using System.Threading.Channels;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Collects requests from many grains and hands them to one handler call per batch: many turns then
/// share one database round trip (group commit). The handler completes every request's task.
/// </summary>
internal sealed class BatchWorker<TRequest, TResult>
{
    public sealed record Item(TRequest Request, TaskCompletionSource<TResult> Completion);

    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Func<IReadOnlyList<Item>, Task> _handler;
    private readonly int _maxBatch;

    public BatchWorker(Func<IReadOnlyList<Item>, Task> handler, int maxBatch, int concurrency)
    {
        _handler = handler;
        _maxBatch = maxBatch;
        for (var i = 0; i < concurrency; i++) _ = Task.Run(RunAsync);
    }

    public Task<TResult> EnqueueAsync(TRequest request)
    {
        // Continuations run on the pool, never inline on the batch loop.
        var completion = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item(request, completion))) completion.SetException(new ObjectDisposedException(nameof(BatchWorker<TRequest, TResult>)));
        return completion.Task;
    }

    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        var batch = new List<Item>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await _handler(batch);
            }
            catch (Exception ex)
            {
                foreach (var item in batch) item.Completion.TrySetException(ex);
            }
            batch.Clear();
        }
    }
}
