using OrleansSignals.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Hooks.Endpoints;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Leases due messages with <c>FOR UPDATE SKIP LOCKED</c>, endpoint by endpoint, so that no endpoint takes
/// more than its free slots and a busy one never crowds out the others. A leased message's
/// next_attempt_at is moved to the end of the lease: if this host dies, it falls due again for another.
/// Endpoints that are disabled or whose circuit is open are skipped (their messages wait); an endpoint
/// past the failure threshold gets one probe at a time. An ordered endpoint gets, per account, only the
/// oldest pending message.
/// </summary>
public sealed class Claimer(NpgsqlDataSource dataSource, IOptions<HookOptions> options, TimeProvider time)
{
    public async Task<List<ClaimedMessage>> ClaimAsync(IReadOnlyDictionary<Guid, int> inFlight, int limit, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            WITH e AS (
                SELECT e.id, e.ordered,
                       CASE WHEN e.consecutive_failures >= $7 THEN 1 ELSE $3 END - coalesce(b.n, 0) AS slots
                FROM webhook_endpoints e LEFT JOIN unnest($4::uuid[], $5::int[]) AS b(id, n) ON b.id = e.id
                WHERE e.disabled_at IS NULL AND (e.circuit_open_until IS NULL OR e.circuit_open_until <= $1)),
            c AS (
                SELECT m.id FROM e CROSS JOIN LATERAL (
                    SELECT m.id FROM webhook_messages m
                    WHERE m.endpoint_id = e.id AND m.status = 'pending' AND m.next_attempt_at <= $1
                      AND (NOT e.ordered OR m.account_id IS NULL OR NOT EXISTS (
                          SELECT 1 FROM webhook_messages p
                          WHERE p.endpoint_id = m.endpoint_id AND p.account_id = m.account_id AND p.status = 'pending' AND p.seq < m.seq))
                    ORDER BY m.next_attempt_at
                    LIMIT greatest(e.slots, 0)
                    FOR UPDATE OF m SKIP LOCKED) m
                WHERE e.slots > 0
                LIMIT $6)
            UPDATE webhook_messages m SET next_attempt_at = $2
            FROM c, webhook_endpoints e
            WHERE m.id = c.id AND e.id = m.endpoint_id
            RETURNING m.id, m.event_id, m.endpoint_id, m.workspace_id, m.payload, m.attempts, m.event_at,
                      e.url, e.format, e.secret, CASE WHEN e.previous_secret_expires_at > $1 THEN e.previous_secret END,
                      e.headers::text, e.rate_limit_per_second
            """);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + o.ClaimLease });
        command.Parameters.Add(new() { Value = o.MaxConcurrencyPerEndpoint });
        command.Parameters.Add(new() { Value = inFlight.Keys.ToArray() });
        command.Parameters.Add(new() { Value = inFlight.Values.ToArray() });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = o.CircuitFailureThreshold });
        var claimed = new List<ClaimedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var secrets = reader.IsDBNull(10) ? new[] { reader.GetString(9) } : [reader.GetString(9), reader.GetString(10)];
            claimed.Add(new ClaimedMessage(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetString(8), secrets,
                WireJson.Deserialize<Dictionary<string, string>>(reader.IsDBNull(11) ? null : reader.GetString(11)),
                reader.IsDBNull(12) ? null : reader.GetInt32(12)));
        }
        return claimed;
    }
}
