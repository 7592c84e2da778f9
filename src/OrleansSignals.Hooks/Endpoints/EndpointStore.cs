using OrleansSignals.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Hooks.Dispatch;
using OrleansSignals.Hooks.Signing;

namespace OrleansSignals.Hooks.Endpoints;

/// <summary>The webhook_endpoints table: what the API creates, reads, changes and deletes, always within one workspace.</summary>
public sealed class EndpointStore(NpgsqlDataSource dataSource, Backfill backfill, IOptions<HookOptions> options, TimeProvider time)
{
    private const string Columns = """
        id, url, description, event_types, filters::text, headers::text, rate_limit_per_second, format, ordered,
        disabled_at, disabled_reason, failing_since, created_at, updated_at, consecutive_failures, circuit_open_until
        """;

    /// <summary>
    /// Stores a new endpoint (and queues its backfill, in the same transaction); returns it with its secret.
    /// Created disabled when the request says <c>"enabled": false</c>.
    /// </summary>
    public async Task<WebhookEndpoint> CreateAsync(string workspaceId, WebhookRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = request.Secret ?? WebhookSecret.Generate();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            INSERT INTO webhook_endpoints (id, workspace_id, url, description, event_types, filters, headers, rate_limit_per_second, format, ordered, secret, created_at, updated_at,
                disabled_at, disabled_reason)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12, $12,
                CASE WHEN $13 THEN $12 END, CASE WHEN $13 THEN 'disabled through the API' END)
            RETURNING {Columns}
            """, connection, tx);
        command.Parameters.Add(new() { Value = Guid.CreateVersion7(now) });
        command.Parameters.Add(new() { Value = workspaceId });
        AddConfig(command, request);
        command.Parameters.Add(new() { Value = secret });
        command.Parameters.Add(new() { Value = now });
        // "enabled": false creates it disabled: the fan-out and the claim skip it, so nothing is sent until enabled.
        command.Parameters.Add(new() { Value = request.Enabled == false });
        var endpoint = await ReadOneAsync(command, cancellationToken);
        if (request.BackfillSince is { } since)
            await backfill.QueueAsync(connection, tx, new EndpointRoute(endpoint!.Id, workspaceId, endpoint.EventTypes, endpoint.Filters), since, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return endpoint! with { Secret = secret };
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhook_endpoints WHERE workspace_id = $1 ORDER BY created_at, id");
        command.Parameters.Add(new() { Value = workspaceId });
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<WebhookEndpoint?> GetAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>
    /// Replaces the configuration; the secret stays unless one is given. <c>"enabled": true</c> re-enables a
    /// disabled endpoint and forgets its failures; <c>false</c> disables it.
    /// </summary>
    public async Task<WebhookEndpoint?> ReplaceAsync(string workspaceId, Guid id, WebhookRequest request, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE webhook_endpoints SET url = $3, description = $4, event_types = $5, filters = $6::jsonb, headers = $7::jsonb,
                rate_limit_per_second = $8, format = $9, ordered = $10, secret = coalesce($11, secret), updated_at = $12,
                disabled_at = CASE WHEN $13 IS NULL THEN disabled_at WHEN $13 THEN NULL ELSE coalesce(disabled_at, $12) END,
                disabled_reason = CASE WHEN $13 IS NULL THEN disabled_reason WHEN $13 THEN NULL ELSE coalesce(disabled_reason, 'disabled through the API') END,
                consecutive_failures = CASE WHEN $13 THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN $13 THEN NULL ELSE failing_since END,
                circuit_open_until = CASE WHEN $13 THEN NULL ELSE circuit_open_until END
            WHERE workspace_id = $1 AND id = $2
            RETURNING {Columns}
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        AddConfig(command, request);
        command.Parameters.Add(new() { Value = (object?)request.Secret ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = (object?)request.Enabled ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Deletes the endpoint with its messages and attempts.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A new secret; the old one keeps signing (alongside) for <paramref name="overlap"/>. Null when there is no such endpoint.</summary>
    public async Task<(string Secret, DateTimeOffset PreviousExpiresAt)?> RotateSecretAsync(string workspaceId, Guid id, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = WebhookSecret.Generate();
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $4, secret = $3, updated_at = $5
            WHERE workspace_id = $1 AND id = $2
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = secret });
        command.Parameters.Add(new() { Value = now + overlap });
        command.Parameters.Add(new() { Value = now });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? (secret, now + overlap) : null;
    }

    public EgressPolicy Egress => EgressPolicy.From(options.Value);

    private static void AddConfig(NpgsqlCommand command, WebhookRequest request)
    {
        command.Parameters.Add(new() { Value = request.Url! });
        command.Parameters.Add(new() { Value = (object?)request.Description ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = request.EventTypes!.Distinct().ToArray() });
        command.Parameters.Add(new() { Value = (object?)WireJson.Serialize(request.Filters) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)WireJson.Serialize(request.Headers) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)request.RateLimitPerSecond ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = request.Format ?? WebhookFormats.Standard });
        command.Parameters.Add(new() { Value = request.Ordered ?? false });
    }

    private async Task<WebhookEndpoint?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<WebhookEndpoint>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<WebhookEndpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            list.Add(new WebhookEndpoint(
                reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<string[]>(3),
                WireJson.Deserialize<WebhookFilters>(reader.IsDBNull(4) ? null : reader.GetString(4)),
                WireJson.Deserialize<Dictionary<string, string>>(reader.IsDBNull(5) ? null : reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetString(7), reader.GetBoolean(8),
                Enabled: reader.IsDBNull(9), At(9), reader.IsDBNull(10) ? null : reader.GetString(10), At(11),
                reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<DateTimeOffset>(13), reader.GetInt32(14),
                // Shown while open, by the clock the dispatcher reads it with.
                At(15) is { } until && until > time.GetUtcNow() ? until : null));
        }
        return list;
    }
}
