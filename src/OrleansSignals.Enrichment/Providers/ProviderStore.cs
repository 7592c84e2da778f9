using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Enrichment.Consolidation;

namespace OrleansSignals.Enrichment.Providers;

/// <summary>Owns <c>enrichment_providers</c>: a workspace's providers, header values sealed.</summary>
public sealed class ProviderStore(NpgsqlDataSource dataSource, SecretBox secrets)
{
    private const string Columns = "workspace_id, name, url, method, headers, rate_limit_per_minute, concurrency, timeout_ms, mapping, created_at, updated_at";

    /// <summary>Creates the provider, or replaces the one of that name (headers included); true when created.</summary>
    public async Task<(ProviderView View, bool Created)> UpsertAsync(string workspaceId, ProviderRequest request, Dictionary<string, string[]> mapping, CancellationToken cancellationToken)
    {
        var sealedHeaders = (request.Headers ?? []).ToDictionary(h => h.Key, h => secrets.Seal(h.Value, SecretBox.Context(workspaceId, request.Name!, h.Key)));
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO enrichment_providers ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), now())
            ON CONFLICT (workspace_id, name) DO UPDATE SET url = excluded.url, method = excluded.method, headers = excluded.headers,
                rate_limit_per_minute = excluded.rate_limit_per_minute, concurrency = excluded.concurrency, timeout_ms = excluded.timeout_ms,
                mapping = excluded.mapping, updated_at = clock_timestamp()
            RETURNING {Columns}, (xmax = 0)
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = request.Name! });
        command.Parameters.Add(new() { Value = request.Url! });
        command.Parameters.Add(new() { Value = (request.Method ?? ProviderDefaults.Method).ToUpperInvariant() });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(sealedHeaders), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = request.RateLimitPerMinute ?? ProviderDefaults.RateLimitPerMinute });
        command.Parameters.Add(new() { Value = request.Concurrency ?? ProviderDefaults.Concurrency });
        command.Parameters.Add(new() { Value = request.TimeoutMs ?? ProviderDefaults.TimeoutMs });
        command.Parameters.Add(new() { Value = mapping.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(mapping), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (View(reader), reader.GetBoolean(11));
    }

    public async Task<IReadOnlyList<ProviderView>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM enrichment_providers WHERE workspace_id = $1 ORDER BY name");
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ProviderView>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(View(reader));
        return list;
    }

    public async Task<bool> DeleteAsync(string workspaceId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM enrichment_providers WHERE workspace_id = $1 AND name = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = name });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<HashSet<string>> NamesAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name FROM enrichment_providers WHERE workspace_id = $1");
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>The provider with its headers unsealed, for calling it; null when it was deleted.</summary>
    public async Task<Provider?> FindAsync(string workspaceId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM enrichment_providers WHERE workspace_id = $1 AND name = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!
            .ToDictionary(h => h.Key, h => secrets.Open(h.Value, SecretBox.Context(workspaceId, name, h.Key)));
        return new Provider(workspaceId, name, new Uri(reader.GetString(2)), reader.GetString(3), headers, reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
            new ResponseMapping(Mapping(reader)), reader.GetFieldValue<DateTimeOffset>(10));
    }

    /// <summary>Response mappings of the named providers (the default shape for one that no longer exists).</summary>
    public async Task<Dictionary<string, ResponseMapping>> MappingsAsync(string workspaceId, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM enrichment_providers WHERE workspace_id = $1 AND name = ANY($2)");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = names.Distinct().ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var mappings = names.Distinct().ToDictionary(n => n, _ => ResponseMapping.Default, StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) mappings[reader.GetString(1)] = new ResponseMapping(Mapping(reader));
        return mappings;
    }

    private static Dictionary<string, string[]> Mapping(NpgsqlDataReader reader) =>
        reader.IsDBNull(8) ? [] : JsonSerializer.Deserialize<Dictionary<string, string[]>>(reader.GetString(8))!;

    private static ProviderView View(NpgsqlDataReader reader)
    {
        var headerNames = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!.Keys.Order(StringComparer.Ordinal).ToList();
        return new ProviderView(reader.GetString(1), reader.GetString(2), reader.GetString(3), headerNames, reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
            new ResponseMapping(Mapping(reader)).Paths, reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10));
    }
}
