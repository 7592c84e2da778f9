using OrleansSignals.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Queues the history since a time for a new endpoint (<c>"backfill_since"</c>), with the same ids, types,
/// filters and payloads live delivery uses. Backfilled messages get negative sequence numbers in history
/// order, so an ordered endpoint receives them before anything live.
/// </summary>
public sealed class Backfill(IOptions<HookOptions> options, TimeProvider time)
{
    public async Task<int> QueueAsync(NpgsqlConnection connection, NpgsqlTransaction tx, EndpointRoute endpoint, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var events = new List<HookEvent>();
        await using (var command = new NpgsqlCommand("""
            SELECT id, account_id, type, occurred_at, recorded_at, key, old_value #>> '{}', new_value #>> '{}', health_score
            FROM history WHERE workspace_id = $1 AND occurred_at >= $2 AND type = ANY($3)
            ORDER BY occurred_at, id LIMIT $4
            """, connection, tx))
        {
            command.Parameters.Add(new() { Value = endpoint.WorkspaceId });
            command.Parameters.Add(new() { Value = since });
            command.Parameters.Add(new() { Value = endpoint.EventTypes.ToArray() });
            command.Parameters.Add(new() { Value = options.Value.MaxBackfill });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new HookEvent(0, reader.GetGuid(0), endpoint.WorkspaceId, reader.GetString(1), reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetInt32(8), null));
            }
        }
        var now = time.GetUtcNow();
        IReadOnlyList<EndpointRoute> only = [endpoint];
        var rows = await HookRouter.RouteAsync(connection, tx, events.Select((e, i) => e with { Seq = i - events.Count }).ToList(),
            _ => only, options.Value.DefaultHealthThreshold, now, cancellationToken);
        var inserted = (await MessageWriter.InsertAsync(connection, tx, MessageWriter.Prepare(rows, now, _ => now), now, cancellationToken)).Count;
        if (inserted > 0)
        {
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{HookDispatcher.Channel}', '{HookDispatcher.MessagesPayload}')", connection, tx);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        return inserted;
    }
}
