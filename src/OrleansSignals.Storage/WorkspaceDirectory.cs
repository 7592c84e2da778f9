using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace OrleansSignals.Storage;

/// <summary>Workspaces and their API keys. Keys are shown once at creation and stored as SHA-256 hashes.</summary>
public sealed class WorkspaceDirectory(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>A key that resolved recently is trusted for this long without asking the database again.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (string? WorkspaceId, DateTimeOffset Until)> _cache = new();

    public sealed record CreatedWorkspace(string Id, string Name, string ApiKey, DateTimeOffset CreatedAt);

    public async Task<CreatedWorkspace> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var id = "ws_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var apiKey = "sk_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        DateTimeOffset createdAt;
        await using (var insert = new NpgsqlCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2) RETURNING created_at", connection, tx))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = name });
            createdAt = (DateTime)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var key = new NpgsqlCommand("INSERT INTO api_keys (key_hash, workspace_id, prefix) VALUES ($1, $2, $3)", connection, tx))
        {
            key.Parameters.Add(new() { Value = Hash(apiKey) });
            key.Parameters.Add(new() { Value = id });
            key.Parameters.Add(new() { Value = apiKey[..7] });
            await key.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return new CreatedWorkspace(id, name, apiKey, createdAt);
    }

    /// <summary>The workspace a key belongs to, or null for an unknown or revoked key.</summary>
    public async Task<string?> FindByKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(apiKey, out var cached) && cached.Until > now) return cached.WorkspaceId;
        await using var command = dataSource.CreateCommand("SELECT workspace_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = Hash(apiKey) });
        var workspaceId = (string?)await command.ExecuteScalarAsync(cancellationToken);
        // Unknown keys are cached too, so a client hammering with a bad key does not hammer the database.
        if (_cache.Count > 100_000) _cache.Clear();
        _cache[apiKey] = (workspaceId, now + CacheFor);
        return workspaceId;
    }

    public async Task<(string Id, string Name, DateTimeOffset CreatedAt)?> GetAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, created_at FROM workspaces WHERE id = $1");
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
    }

    private static byte[] Hash(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
