using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Lists a workspace's accounts from the stored state (checkpoints), filtered and sorted, in keyset pages: a cursor
/// holds the sort key and the account id of the last row, so a page starts exactly after it whatever was added since.
/// </summary>
public sealed class AccountQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The orders <c>?sort=</c> accepts; a leading <c>-</c> is descending.</summary>
    public static readonly string[] Sorts = ["account_id", "health_score", "-health_score", "updated_at", "-updated_at"];

    /// <param name="Traits">Trait name and value (as its JSON text: <c>pro</c>, <c>12</c>, <c>true</c>) that must all match.</param>
    /// <param name="After">The cursor's position (<see cref="TryParseCursor"/>), or null for the first page.</param>
    public sealed record Filter(string? Insight, int? HealthLessThan, int? HealthGreaterThan, IReadOnlyList<(string Name, string Value)> Traits,
        string Sort, (string Key, string AccountId)? After, int Limit);

    /// <summary>A cursor is only valid for the sort it was made for: "{sort}\n{key}\n{account id}".</summary>
    public static bool TryParseCursor(string cursor, string sort, out (string Key, string AccountId) position)
    {
        position = default;
        if (!Cursor.TryDecode(cursor, out var raw)) return false;
        var parts = raw.Split('\n', 3);
        if (parts.Length != 3 || parts[0] != sort) return false;
        if (sort.TrimStart('-') == "health_score" && !int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return false;
        if (sort.TrimStart('-') == "updated_at" && !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
        position = (parts[1], parts[2]);
        return true;
    }

    public async Task<(List<AccountView> Items, string? NextCursor)> ListAsync(string workspaceId, Filter filter, CancellationToken cancellationToken)
    {
        var descending = filter.Sort.StartsWith('-');
        var (column, keyType) = filter.Sort.TrimStart('-') switch
        {
            "health_score" => ("health_score", "int"),
            "updated_at" => ("updated_at", "timestamptz"),
            _ => ("account_id", "text"),
        };
        // Row comparison on (key, account_id): one index range scan, forwards or backwards.
        var order = descending ? $"{column} DESC, account_id DESC" : $"{column}, account_id";
        var after = column == "account_id"
            ? (descending ? "account_id < $5" : "account_id > $5")
            : $"({column}, account_id) {(descending ? "<" : ">")} ($7::{keyType}, $5)";
        await using var command = dataSource.CreateCommand($"""
            SELECT account_id, state::text, health_score, updated_at FROM accounts AS a
            WHERE workspace_id = $1
              AND ($2::text IS NULL OR active_insights @> ARRAY[$2::text])
              AND ($3::int IS NULL OR health_score < $3)
              AND ($4::int IS NULL OR health_score > $4)
              AND ($5::text IS NULL OR {after})
              AND NOT EXISTS (SELECT 1 FROM unnest($8::text[], $9::text[]) AS f(name, value)
                              WHERE (a.state -> 'traits' ->> f.name) IS DISTINCT FROM f.value)
            ORDER BY {order}
            LIMIT $6
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = (object?)filter.Insight ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)filter.HealthLessThan ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = (object?)filter.HealthGreaterThan ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = (object?)filter.After?.AccountId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = filter.Limit + 1 });
        command.Parameters.Add(keyType switch
        {
            "int" => new NpgsqlParameter { Value = filter.After is { } a ? int.Parse(a.Key, CultureInfo.InvariantCulture) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            "timestamptz" => new NpgsqlParameter { Value = filter.After is { } a ? new DateTime(long.Parse(a.Key, CultureInfo.InvariantCulture), DateTimeKind.Utc) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            _ => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
        });
        command.Parameters.Add(new() { Value = filter.Traits.Select(t => t.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = filter.Traits.Select(t => t.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var items = new List<AccountView>();
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(AccountCheckpointStorage.Deserialize(reader.GetString(1)).ToView(reader.GetString(0)));
            keys.Add(column switch
            {
                "health_score" => reader.GetInt32(2).ToString(CultureInfo.InvariantCulture),
                "updated_at" => reader.GetFieldValue<DateTime>(3).Ticks.ToString(CultureInfo.InvariantCulture),
                _ => reader.GetString(0),
            });
        }
        if (items.Count <= filter.Limit) return (items, null);
        items.RemoveAt(filter.Limit);
        var last = filter.Limit - 1;
        return (items, Cursor.Encode($"{filter.Sort}\n{keys[last]}\n{items[last].AccountId}"));
    }
}
