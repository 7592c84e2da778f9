using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace OrleansSignals.Storage;

/// <summary>Reads an account's transitions, newest first, a page at a time.</summary>
public sealed class HistoryLog(NpgsqlDataSource dataSource)
{
    public sealed record Page(IReadOnlyList<HistoryEntry> Items, string? NextCursor);

    /// <summary>Cursor format inside the opaque string: "{occurred_at ticks}:{id}".</summary>
    public static bool TryParseCursor(string? cursor, out (DateTimeOffset At, Guid Id) position)
    {
        position = default;
        if (!Cursor.TryDecode(cursor, out var raw)) return false;
        var parts = raw.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(parts[1], out var id)) return false;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        position = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }

    /// <summary>Whether each insight of the account was last announced as triggered (true) or resolved (false).</summary>
    public async Task<Dictionary<string, bool>> AnnouncedInsightsAsync(string workspaceId, string accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (key) key, type = $3 FROM history
            WHERE workspace_id = $1 AND account_id = $2 AND type IN ($3, $4)
            ORDER BY key, occurred_at DESC, id DESC
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = EventTypes.InsightTriggered });
        command.Parameters.Add(new() { Value = EventTypes.InsightResolved });
        var announced = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) announced[reader.GetString(0)] = reader.GetBoolean(1);
        return announced;
    }

    public async Task<Page> ForAccountAsync(
        string workspaceId, string accountId, string? type, (DateTimeOffset At, Guid Id)? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, account_id, occurred_at, type, key, old_value::text, new_value::text, health_score
            FROM history
            WHERE workspace_id = $1 AND account_id = $2
              AND ($3::text IS NULL OR type = $3)
              AND ($4::timestamptz IS NULL OR (occurred_at, id) < ($4, $5))
            ORDER BY occurred_at DESC, id DESC
            LIMIT $6
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = after is { } a ? a.At : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = after?.Id ?? Guid.Empty });
        command.Parameters.Add(new() { Value = limit + 1 });
        var items = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new HistoryEntry(
                reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : Value(reader.GetString(5)),
                reader.IsDBNull(6) ? null : Value(reader.GetString(6)),
                reader.IsDBNull(7) ? null : reader.GetInt32(7)));
        }
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            var last = items[^1];
            next = Cursor.Encode(string.Create(CultureInfo.InvariantCulture, $"{last.OccurredAt.UtcTicks}:{last.Id}"));
        }
        return new Page(items, next);
    }

    private static JsonElement Value(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
