using System.Collections.Concurrent;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Tests.Storage;

public sealed class BatchWorkerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_request_from_many_writers_is_answered_once_in_batches_no_heavier_than_the_limit()
    {
        var batches = new ConcurrentBag<int>();
        var seen = new ConcurrentDictionary<int, int>();
        using var worker = new BatchWorker<int, int>("test", batch =>
        {
            batches.Add(batch.Count);
            // Slow enough that requests pile up while every loop is busy: they must still be taken afterwards.
            Thread.Sleep(1);
            foreach (var item in batch)
            {
                seen.AddOrUpdate(item.Request, 1, (_, n) => n + 1);
                item.Completion.SetResult(item.Request * 2);
            }
        }, maxWeight: 50, concurrency: 3);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var mine = new List<Task<int>>();
            for (var i = 0; i < 2_500; i++) mine.Add(worker.EnqueueAsync(writer * 10_000 + i));
            return await Task.WhenAll(mine);
        }))).WaitAsync(Deadline);

        Assert.Equal(20_000, answers.Sum(a => a.Length));
        Assert.All(answers.SelectMany(a => a), v => Assert.Equal(0, v % 2));
        Assert.Equal(20_000, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
        Assert.All(batches, size => Assert.InRange(size, 1, 50));
        Assert.True(batches.Count < 20_000, "requests that arrive together share a batch");
    }

    [Fact]
    public async Task A_request_arriving_while_every_loop_sleeps_is_never_left_waiting()
    {
        // Callers enqueue without a lock: each of these arrives as the loops go back to sleep, the moment a lost
        // wake-up would strand it. One stranded request and the deadline fails the test.
        using var worker = new BatchWorker<int, int>("test", batch =>
        {
            foreach (var item in batch) item.Completion.SetResult(item.Request);
        }, maxWeight: 10, concurrency: 2);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 2_000; i++) Assert.Equal(i, await worker.EnqueueAsync(i).WaitAsync(TimeSpan.FromSeconds(5)));
        }))).WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_request_heavier_than_the_limit_is_a_batch_of_its_own()
    {
        var batches = new ConcurrentQueue<int[]>();
        using var worker = new BatchWorker<int, bool>("test", batch =>
        {
            batches.Enqueue(batch.Select(i => i.Request).ToArray());
            foreach (var item in batch) item.Completion.SetResult(true);
        }, maxWeight: 10, concurrency: 1, weight: request => request);

        await Task.WhenAll(worker.EnqueueAsync(25), worker.EnqueueAsync(3)).WaitAsync(Deadline);

        Assert.All(batches, b => Assert.True(b.Length == 1 || b.Sum() <= 10));
        Assert.Contains(batches, b => b.SequenceEqual([25]));
    }

    [Fact]
    public async Task A_handler_that_throws_fails_its_batch_and_the_loop_serves_the_next()
    {
        using var worker = new BatchWorker<int, int>("test", batch =>
        {
            if (batch.Any(i => i.Request < 0)) throw new InvalidOperationException("bad request in batch");
            foreach (var item in batch) item.Completion.SetResult(item.Request);
        }, maxWeight: 1, concurrency: 1);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.EnqueueAsync(-1).WaitAsync(Deadline));
        Assert.Equal("bad request in batch", failed.Message);
        Assert.Equal(7, await worker.EnqueueAsync(7).WaitAsync(Deadline));
    }

    [Fact]
    public async Task After_dispose_a_request_is_refused_at_once()
    {
        var worker = new BatchWorker<int, int>("test", batch =>
        {
            foreach (var item in batch) item.Completion.SetResult(item.Request);
        }, maxWeight: 10, concurrency: 2);
        Assert.Equal(1, await worker.EnqueueAsync(1).WaitAsync(Deadline));

        worker.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => worker.EnqueueAsync(2).WaitAsync(Deadline));
    }
}
