using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Persistence;

/// <summary>Lists a workspace's accounts from the stored state, filtered, in account id order (keyset pages).</summary>
public sealed class AccountQueries(NpgsqlDataSource dataSource)
{
    public sealed record Filter(string? Insight, int? HealthLessThan, int? HealthGreaterThan, string? After, int Limit);

    public async Task<(List<AccountView> Items, string? LastId)> ListAsync(string workspaceId, Filter filter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT account_id, state::text FROM accounts
            WHERE workspace_id = $1
              AND ($2::text IS NULL OR active_insights @> ARRAY[$2::text])
              AND ($3::int IS NULL OR health_score < $3)
              AND ($4::int IS NULL OR health_score > $4)
              AND ($5::text IS NULL OR account_id > $5)
            ORDER BY account_id
            LIMIT $6
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = (object?)filter.Insight ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)filter.HealthLessThan ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = (object?)filter.HealthGreaterThan ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = (object?)filter.After ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = filter.Limit + 1 });
        var items = new List<AccountView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) items.Add(AccountCheckpointStorage.Deserialize(reader.GetString(1)).ToView(reader.GetString(0)));
        if (items.Count <= filter.Limit) return (items, null);
        items.RemoveAt(filter.Limit);
        return (items, items[^1].AccountId);
    }
}
