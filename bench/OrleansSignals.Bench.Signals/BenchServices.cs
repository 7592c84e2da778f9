using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansSignals.Signals;
using OrleansSignals.Storage;

namespace OrleansSignals.Bench.Signals;

/// <summary>The product's storage and pipeline services on a database of their own, migrated; dropped on dispose.</summary>
public sealed class BenchServices : IAsyncDisposable
{
    private readonly string _server;
    private readonly bool _keep;

    public ServiceProvider Provider { get; }
    public string Database { get; }
    public NpgsqlDataSource Data => Provider.GetRequiredService<NpgsqlDataSource>();

    private BenchServices(string server, string database, ServiceProvider provider, bool keep) =>
        (_server, Database, Provider, _keep) = (server, database, provider, keep);

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public static async Task<BenchServices> StartAsync(string server, string database, IDictionary<string, string?> settings, bool keep = false)
    {
        await using (var admin = NpgsqlDataSource.Create(server))
        {
            await using var exists = admin.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)");
            exists.Parameters.Add(new() { Value = database });
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                await using var create = admin.CreateCommand($"CREATE DATABASE {database}");
                await create.ExecuteNonQueryAsync();
            }
        }
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 20, CommandTimeout = 0 }.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:Postgres"] = connection,
        }).Build();
        var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
            .AddSignalsStorage(configuration).AddSignalsPipeline(configuration).BuildServiceProvider();
        await provider.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
        return new BenchServices(server, database, provider, keep);
    }

    public async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = Data.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = Data.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        if (_keep) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(_server);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
