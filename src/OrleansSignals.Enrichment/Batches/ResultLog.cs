using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>Reads the audit log (<c>enrichment_results</c>) of one batch, in the order attempts were recorded.</summary>
public sealed class ResultLog(NpgsqlDataSource dataSource)
{
    public async Task<(List<ResultView> Items, long? Next)> ListAsync(string workspaceId, Guid batchId, long? itemId, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.batch_item_id, i.line, r.step, r.provider, r.attempt, r.status, r.http_status, r.json_payload::text, r.error, r.duration_ms, r.received_at
            FROM enrichment_results r JOIN batch_items i ON i.id = r.batch_item_id
            WHERE r.batch_id = $1 AND r.workspace_id = $2 AND r.id > $3 AND ($5::bigint IS NULL OR r.batch_item_id = $5)
            ORDER BY r.id
            LIMIT $4
            """);
        command.Parameters.Add(new() { Value = batchId });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = (object?)itemId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<ResultView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            JsonElement? payload = null;
            if (!reader.IsDBNull(8))
            {
                using var document = JsonDocument.Parse(reader.GetString(8));
                payload = document.RootElement.Clone();
            }
            items.Add(new ResultView(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt32(7), payload, reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetInt32(10), reader.GetFieldValue<DateTimeOffset>(11)));
        }
        return (items, items.Count == limit ? items[^1].Id : null);
    }
}
