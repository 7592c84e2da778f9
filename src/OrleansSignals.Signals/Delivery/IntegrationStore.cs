using System.Text.Json;
using Npgsql;

namespace OrleansSignals.Signals.Delivery;

/// <summary>The one writer of <c>workspace_integrations</c>: a workspace's credentials for a vendor (attio, posthog).</summary>
public sealed class IntegrationStore(NpgsqlDataSource dataSource)
{
    public const string Attio = "attio";
    public const string PostHog = "posthog";

    public async Task<JsonElement?> GetAsync(string workspaceId, string vendor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT settings::text FROM workspace_integrations WHERE workspace_id = $1 AND vendor = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = vendor });
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonDocument.Parse(json).RootElement.Clone() : null;
    }

    public async Task SetAsync(string workspaceId, string vendor, JsonElement settings, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO workspace_integrations (workspace_id, vendor, settings) VALUES ($1, $2, $3::jsonb)
            ON CONFLICT (workspace_id, vendor) DO UPDATE SET settings = excluded.settings, updated_at = now()
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = vendor });
        command.Parameters.Add(new() { Value = settings.GetRawText() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string workspaceId, string vendor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM workspace_integrations WHERE workspace_id = $1 AND vendor = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = vendor });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
