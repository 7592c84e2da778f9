using Npgsql;

namespace OrleansSignals.Storage;

/// <summary>
/// Applies the numbered SQL files in Migrations/ (and scripts other parts register) that the database
/// has not seen. An advisory lock makes hosts that start together take turns.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, IEnumerable<MigrationScript> extraScripts)
{
    // Any fixed number works; it only has to be the same on every host.
    private const long LockId = 0x5167_6E61_6C73;

    public IReadOnlyList<MigrationScript> Scripts { get; } = [.. EmbeddedScripts().Concat(extraScripts).OrderBy(s => s.Version)];

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_lock({LockId})", cancellationToken);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     int PRIMARY KEY,
                    name        text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            foreach (var script in Scripts.Where(s => !applied.Contains(s.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, script.Sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
                record.Parameters.Add(new() { Value = script.Version });
                record.Parameters.Add(new() { Value = script.Name });
                await record.ExecuteNonQueryAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({LockId})", CancellationToken.None);
        }
    }

    /// <summary>True when every known script is recorded as applied.</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return false;
        var applied = await AppliedVersionsAsync(connection, cancellationToken);
        return Scripts.All(s => applied.Contains(s.Version));
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken)) versions.Add(reader.GetInt32(0));
        return versions;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Files named "NNNN_name.sql" embedded from Migrations/.</summary>
    private static IEnumerable<MigrationScript> EmbeddedScripts()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource.Split('.')[^2];
            var underscore = file.IndexOf('_');
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return new MigrationScript(int.Parse(file[..underscore].TrimStart('_')), file[(underscore + 1)..], reader.ReadToEnd());
        }
    }
}
