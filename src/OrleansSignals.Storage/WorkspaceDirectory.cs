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

    // Bumped by every revocation on this host: a lookup that began before it does not refill the cache.
    private long _revocations;

    /// <summary>Most active keys a workspace may hold: enough for every pipeline, few enough to keep the per-key rate limit meaningful.</summary>
    public const int MaxActiveKeys = 20;

    public sealed record CreatedWorkspace(string Id, string Name, string ApiKey, DateTimeOffset CreatedAt);

    public async Task<CreatedWorkspace> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var id = "ws_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        DateTimeOffset createdAt;
        await using (var insert = new NpgsqlCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2) RETURNING created_at", connection, tx))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = name });
            createdAt = (DateTime)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        var (_, apiKey) = await InsertKeyAsync(connection, tx, id, name: null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new CreatedWorkspace(id, name, apiKey, createdAt);
    }

    /// <summary>A key as listed: never its secret, only the first characters that tell keys apart.</summary>
    public sealed record ApiKeyInfo(Guid Id, string Prefix, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, bool Current = false);

    public enum RevokeResult { Revoked, NotFound, LastActiveKey }

    public enum CreateKeyResult { Created, NoWorkspace, TooManyKeys }

    /// <summary>A new key for an existing workspace with fewer than <see cref="MaxActiveKeys"/> active keys; its secret is returned once.</summary>
    public async Task<(CreateKeyResult Result, ApiKeyInfo? Key, string? ApiKey)> CreateKeyAsync(string workspaceId, string? name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (!await LockWorkspaceAsync(connection, tx, workspaceId, cancellationToken)) return (CreateKeyResult.NoWorkspace, null, null);
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM api_keys WHERE workspace_id = $1 AND revoked_at IS NULL", connection, tx))
        {
            count.Parameters.Add(new() { Value = workspaceId });
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= MaxActiveKeys) return (CreateKeyResult.TooManyKeys, null, null);
        }
        var (key, apiKey) = await InsertKeyAsync(connection, tx, workspaceId, name, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return (CreateKeyResult.Created, key, apiKey);
    }

    /// <summary>The workspace's keys, oldest first; <paramref name="currentKey"/> (the caller's, if any) is marked.</summary>
    public async Task<List<ApiKeyInfo>> ListKeysAsync(string workspaceId, string? currentKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, prefix, name, created_at, revoked_at, key_hash = $2 FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = currentKey is null ? Array.Empty<byte>() : Hash(currentKey) });
        var keys = new List<ApiKeyInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyInfo(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5)));
        }
        return keys;
    }

    /// <summary>
    /// Revokes a key of the workspace (again: no change). The last active key cannot be revoked: the workspace would
    /// be locked out. This host stops accepting the key at once; other hosts within <see cref="CacheFor"/>.
    /// </summary>
    public async Task<RevokeResult> RevokeKeyAsync(string workspaceId, Guid keyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // One revocation at a time per workspace, so two at once cannot revoke the last two keys.
        if (!await LockWorkspaceAsync(connection, tx, workspaceId, cancellationToken)) return RevokeResult.NotFound;
        await using var command = new NpgsqlCommand("""
            SELECT k.revoked_at IS NOT NULL, (SELECT count(*) FROM api_keys o WHERE o.workspace_id = $1 AND o.revoked_at IS NULL AND o.id <> $2)
            FROM api_keys k WHERE k.workspace_id = $1 AND k.id = $2
            """, connection, tx);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = keyId });
        bool revoked;
        long others;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return RevokeResult.NotFound;
            (revoked, others) = (reader.GetBoolean(0), reader.GetInt64(1));
        }
        if (revoked) return RevokeResult.Revoked;
        if (others == 0) return RevokeResult.LastActiveKey;
        // The database's clock, as for created_at.
        await using var revoke = new NpgsqlCommand("UPDATE api_keys SET revoked_at = now() WHERE workspace_id = $1 AND id = $2", connection, tx);
        revoke.Parameters.Add(new() { Value = workspaceId });
        revoke.Parameters.Add(new() { Value = keyId });
        await revoke.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        Interlocked.Increment(ref _revocations);
        _cache.Clear();
        return RevokeResult.Revoked;
    }

    private static async Task<bool> LockWorkspaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, CancellationToken cancellationToken)
    {
        // NO KEY UPDATE: it serialises key changes of one workspace without blocking inserts that reference the workspace.
        await using var command = new NpgsqlCommand("SELECT 1 FROM workspaces WHERE id = $1 FOR NO KEY UPDATE", connection, tx);
        command.Parameters.Add(new() { Value = workspaceId });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<(ApiKeyInfo Key, string ApiKey)> InsertKeyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, string? name, CancellationToken cancellationToken)
    {
        var apiKey = "sk_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = Guid.CreateVersion7(time.GetUtcNow());
        await using var key = new NpgsqlCommand("""
            INSERT INTO api_keys (id, key_hash, workspace_id, prefix, name) VALUES ($1, $2, $3, $4, $5) RETURNING created_at
            """, connection, tx);
        key.Parameters.Add(new() { Value = id });
        key.Parameters.Add(new() { Value = Hash(apiKey) });
        key.Parameters.Add(new() { Value = workspaceId });
        key.Parameters.Add(new() { Value = apiKey[..7] });
        key.Parameters.Add(new() { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var createdAt = new DateTimeOffset((DateTime)(await key.ExecuteScalarAsync(cancellationToken))!, TimeSpan.Zero);
        return (new ApiKeyInfo(id, apiKey[..7], name, createdAt, null), apiKey);
    }

    /// <summary>The workspace a key belongs to, or null for an unknown or revoked key.</summary>
    /// <remarks>A key seen in the last <see cref="CacheFor"/> is answered without a task (every API request asks).</remarks>
    public ValueTask<string?> FindByKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return _cache.TryGetValue(apiKey, out var cached) && cached.Until > now
            ? ValueTask.FromResult(cached.WorkspaceId)
            : new ValueTask<string?>(LookUpKeyAsync(apiKey, now, cancellationToken));
    }

    private async Task<string?> LookUpKeyAsync(string apiKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var revocations = Interlocked.Read(ref _revocations);
        await using var command = dataSource.CreateCommand("SELECT workspace_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = Hash(apiKey) });
        var workspaceId = (string?)await command.ExecuteScalarAsync(cancellationToken);
        // Unknown keys are cached too, so a client hammering with a bad key does not hammer the database.
        if (_cache.Count > 100_000) _cache.Clear();
        // A revocation that committed while this lookup ran may have made its answer stale: use it once, do not keep it.
        if (Interlocked.Read(ref _revocations) == revocations)
        {
            _cache[apiKey] = (workspaceId, now + CacheFor);
            // A revocation between the check and the write: its Clear may have come first.
            if (Interlocked.Read(ref _revocations) != revocations) _cache.TryRemove(apiKey, out _);
        }
        return workspaceId;
    }

    /// <summary>A workspace as the operator lists it.</summary>
    public sealed record WorkspaceSummary(string Id, string Name, DateTimeOffset CreatedAt, long ActiveKeys);

    /// <summary>Every workspace, oldest first, with how many active keys it has (the operator's view).</summary>
    public async Task<List<WorkspaceSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT w.id, w.name, w.created_at, (SELECT count(*) FROM api_keys k WHERE k.workspace_id = w.id AND k.revoked_at IS NULL)
            FROM workspaces w ORDER BY w.created_at, w.id
            """);
        var workspaces = new List<WorkspaceSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            workspaces.Add(new WorkspaceSummary(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3)));
        return workspaces;
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
