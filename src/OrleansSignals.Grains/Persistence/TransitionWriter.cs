using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Makes the transitions of account turns durable (history and outbox, through <see cref="Outbox"/>), many turns per
/// transaction. A turn's caller is answered only after this, so hooks never wait for a checkpoint.
/// </summary>
public sealed partial class TransitionWriter : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PartitionManager _partitions;
    private readonly ILogger<TransitionWriter> _logger;
    private readonly BatchWorker<IReadOnlyList<TransitionRow>, bool> _writes;

    public TransitionWriter(NpgsqlDataSource dataSource, PartitionManager partitions, IOptions<StorageOptions> options, ILogger<TransitionWriter> logger)
    {
        _dataSource = dataSource;
        _partitions = partitions;
        _logger = logger;
        _writes = new("transition writes", Write, options.Value.WriteBatchSize, options.Value.WriteConcurrency);
    }

    public static TransitionRow Row(string workspaceId, string accountId, Transition t) =>
        new(t.Id, workspaceId, accountId, t.OccurredAt, t.Type, t.Key, t.OldValue, t.NewValue, t.HealthScore);

    public Task WriteAsync(IReadOnlyList<TransitionRow> rows) => rows.Count == 0 ? Task.CompletedTask : _writes.EnqueueAsync(rows);

    public void Dispose() => _writes.Dispose();

    private void Write(IReadOnlyList<BatchWorker<IReadOnlyList<TransitionRow>, bool>.Item> batch)
    {
        _partitions.EnsureAsync("history", batch.SelectMany(i => i.Request).Select(t => t.OccurredAt), CancellationToken.None).GetAwaiter().GetResult();
        BatchWorker<IReadOnlyList<TransitionRow>, bool>.CommitIsolated(batch, items =>
        {
            using var connection = _dataSource.OpenConnection();
            using var tx = connection.BeginTransaction();
            Outbox.AppendTransitions(connection, tx, [.. items.SelectMany(i => i.Request)]);
            tx.Commit();
            foreach (var item in items) item.Completion.TrySetResult(true);
        }, (ex, count) => LogIsolating(ex, count));
    }

    [LoggerMessage(LogLevel.Warning, "Writing the transitions of {Count} turns failed; writing them turn by turn")]
    private partial void LogIsolating(Exception ex, int count);
}
