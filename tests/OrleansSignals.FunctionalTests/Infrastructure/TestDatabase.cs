using Npgsql;

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>
/// A fresh, empty database on the test PostgreSQL (scripts/test.sh starts it and sets
/// SIGNALS_TEST_POSTGRES). Dropped when disposed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public string Name { get; } = "os_test_" + Guid.NewGuid().ToString("N")[..12];
    public string ConnectionString { get; }
    private readonly string _server;

    private TestDatabase(string server)
    {
        _server = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name, MaxPoolSize = 50 }.ConnectionString;
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("SIGNALS_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "SIGNALS_TEST_POSTGRES is not set. Run the tests with scripts/test.sh, which starts a throwaway PostgreSQL and sets it.");

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase(ServerConnectionString);
        await using var connection = new NpgsqlConnection(database._server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database.Name}", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until the hooks pipeline holds nothing in flight for the workspace: every transition has left the
    /// outbox (fanned out) and every message to an enabled endpoint is delivered or dead. A webhook not sent by
    /// then is not going to be sent, so "nothing else arrived" can be asserted right after, without a quiet period.
    /// Messages to disabled endpoints stay pending by design and are not waited for.
    /// </summary>
    public Task HooksSettledAsync(string workspaceId, TimeSpan? timeout = null) =>
        Api.Eventually(async () => await ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM outbox WHERE workspace_id = $1)
                 + (SELECT count(*) FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id
                    WHERE m.workspace_id = $1 AND m.status = 'pending' AND e.disabled_at IS NULL)
            """, workspaceId) == 0, timeout ?? TimeSpan.FromSeconds(20), $"the hooks of workspace {workspaceId} settle");

    /// <summary>
    /// How many events of that name the accounts' checkpoints count. Checkpoints lag acknowledged events by up to
    /// Signals:Storage:CheckpointInterval, so this waits (10 s at most) for the count to reach <paramref name="expected"/>
    /// and returns what it last read: a count that overshoots or never arrives still fails the caller's assertion.
    /// </summary>
    public async Task<long> CheckpointedEventCountAsync(string workspaceId, string eventName, long expected, string? accountId = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var counted = await CountedEventsAsync(workspaceId, eventName, accountId);
            if (counted == expected || DateTime.UtcNow > deadline) return counted;
            await Task.Delay(100);
        }
    }

    private Task<long> CountedEventsAsync(string workspaceId, string eventName, string? accountId = null) =>
        ScalarAsync<long>("""
            SELECT coalesce(sum(c.v::bigint), 0)::bigint
            FROM accounts a, json_array_elements_text(a.state->'hours'->$2) WITH ORDINALITY AS c(v, i)
            WHERE a.workspace_id = $1 AND ($3 = '' OR a.account_id = $3) AND c.i % 2 = 0
            """, workspaceId, eventName, accountId ?? "");

    public async ValueTask DisposeAsync()
    {
        // Only this database's pool: other fixtures run in parallel.
        await using (var own = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(own);
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
