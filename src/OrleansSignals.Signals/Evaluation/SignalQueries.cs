using System.Globalization;
using Npgsql;
using OrleansSignals.Storage;

namespace OrleansSignals.Signals.Evaluation;

/// <summary>Reads of <c>signals</c>: newest first, filtered, in keyset pages.</summary>
public sealed class SignalQueries(NpgsqlDataSource dataSource)
{
    public sealed record Filter(string? Type, string? AccountId, DateTimeOffset? Since, int Limit, (DateTimeOffset At, Guid Id)? After);

    public async Task<(IReadOnlyList<SignalOccurrence> Items, string? NextCursor)> ListAsync(string workspaceId, Filter f, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, type, account_id, person_id, value, detected_at, window_start, window_end, run_id
            FROM signals
            WHERE workspace_id = $1 AND ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR account_id = $3)
              AND ($4::timestamptz IS NULL OR detected_at >= $4)
              AND ($5::timestamptz IS NULL OR (detected_at, id) < ($5, $6))
            ORDER BY detected_at DESC, id DESC
            LIMIT $7
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = (object?)f.Type ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.AccountId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.Since ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)f.After?.At ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = f.After?.Id ?? Guid.Empty });
        command.Parameters.Add(new() { Value = f.Limit + 1 });
        var items = new List<SignalOccurrence>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) items.Add(Read(reader));
        }
        string? next = null;
        if (items.Count > f.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = Cursor.Encode($"{last.DetectedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{last.Id}");
        }
        return (items, next);
    }

    public async Task<SignalOccurrence?> GetAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, type, account_id, person_id, value, detected_at, window_start, window_end, run_id FROM signals WHERE workspace_id = $1 AND id = $2
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Reads a cursor this class wrote; false for anything else.</summary>
    public static bool TryParseCursor(string cursor, out (DateTimeOffset At, Guid Id) after)
    {
        after = default;
        if (!Cursor.TryDecode(cursor, out var text)) return false;
        var parts = text.Split('|');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(parts[1], out var id)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        after = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }

    private static SignalOccurrence Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDouble(4),
        reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetGuid(8));
}
