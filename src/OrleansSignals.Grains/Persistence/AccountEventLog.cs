using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Persistence;

/// <summary>An account's raw events as they were stored (the journal), newest first, in keyset pages.</summary>
public sealed class AccountEventLog(NpgsqlDataSource dataSource)
{
    /// <summary>One stored event, as it came (its <c>properties</c> unchanged) plus when it was received.</summary>
    public sealed record StoredEvent(string EventId, string Event, DateTimeOffset Timestamp, DateTimeOffset ReceivedAt, string? PersonId, JsonElement? Properties);

    public sealed record Page(IReadOnlyList<StoredEvent> Items, string? NextCursor);

    /// <summary>Cursor format inside the opaque string: "{timestamp ticks}:{event id}" of the last event of the page.</summary>
    public static bool TryParseCursor(string? cursor, out (DateTimeOffset At, string EventId) position)
    {
        position = default;
        if (!Cursor.TryDecode(cursor, out var raw)) return false;
        var colon = raw.IndexOf(':');
        if (colon <= 0 || !long.TryParse(raw[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)) return false;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        position = (new DateTimeOffset(ticks, TimeSpan.Zero), raw[(colon + 1)..]);
        return true;
    }

    /// <param name="since">Events at or after this time.</param>
    /// <param name="until">Events before this time.</param>
    public async Task<Page> ListAsync(string workspaceId, string accountId, DateTimeOffset? since, DateTimeOffset? until,
        (DateTimeOffset At, string EventId)? before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT event_id, event, occurred_at, received_at, person_id, properties::text FROM events
            WHERE workspace_id = $1 AND account_id = $2
              AND ($3::timestamptz IS NULL OR occurred_at >= $3)
              AND ($4::timestamptz IS NULL OR occurred_at < $4)
              AND ($5::timestamptz IS NULL OR (occurred_at, event_id) < ($5, $6::text))
            ORDER BY occurred_at DESC, event_id DESC
            LIMIT $7
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = (object?)since ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)until ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)before?.At ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)before?.EventId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit + 1 });
        var items = new List<StoredEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                JsonElement? properties = reader.IsDBNull(5) ? null : JsonDocument.Parse(reader.GetString(5)).RootElement.Clone();
                items.Add(new StoredEvent(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), properties));
            }
        }
        if (items.Count <= limit) return new Page(items, null);
        items.RemoveAt(limit);
        var last = items[^1];
        return new Page(items, Cursor.Encode($"{last.Timestamp.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{last.EventId}"));
    }
}
