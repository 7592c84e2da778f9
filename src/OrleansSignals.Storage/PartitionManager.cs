using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace OrleansSignals.Storage;

/// <summary>
/// Creates the monthly partitions of the time-partitioned tables (events, history) when a row for a
/// new month first arrives. Remembers what exists, so the common case costs nothing.
/// </summary>
public sealed class PartitionManager(NpgsqlDataSource dataSource)
{
    public static readonly string[] PartitionedTables = ["events", "history"];

    private readonly ConcurrentDictionary<(string Table, int Month), bool> _known = new();

    public async Task EnsureAsync(string table, IEnumerable<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        if (!PartitionedTables.Contains(table)) throw new ArgumentOutOfRangeException(nameof(table), table, "Not a partitioned table.");
        foreach (var month in times.Select(MonthOf).Distinct())
        {
            if (_known.ContainsKey((table, month))) continue;
            await CreateAsync(table, month, cancellationToken);
            _known[(table, month)] = true;
        }
    }

    private async Task CreateAsync(string table, int month, CancellationToken cancellationToken)
    {
        var from = new DateTime(month / 100, month % 100, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = from.AddMonths(1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // Hosts creating the same partition at once would otherwise race in the catalog.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, tx))
        {
            lockCommand.Parameters.Add(new() { Value = "partition:" + table });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        var sql = string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE IF NOT EXISTS {table}_p{month} PARTITION OF {table} FOR VALUES FROM ('{from:yyyy-MM-dd}') TO ('{to:yyyy-MM-dd}')");
        await using (var create = new NpgsqlCommand(sql, connection, tx)) await create.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    private static int MonthOf(DateTimeOffset at) => at.UtcDateTime.Year * 100 + at.UtcDateTime.Month;
}
