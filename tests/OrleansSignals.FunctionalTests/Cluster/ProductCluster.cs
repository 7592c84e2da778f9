using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Grains;
using OrleansSignals.Storage;

namespace OrleansSignals.FunctionalTests.Cluster;

/// <summary>
/// What every cluster test starts from: a fresh PostgreSQL database with the product's migrations, and N in-process
/// Orleans silos (Microsoft.Orleans.TestingHost) running the product's grains with Orleans's ADO.NET reminders on
/// that database. <paramref name="addServices"/> adds a feature's services (the pipeline, enrichment) to every silo.
/// </summary>
public static class ProductCluster
{
    public static async Task<(TestDatabase Database, InProcessTestCluster Cluster)> StartAsync(
        int silos, Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration>? addServices = null)
    {
        var database = await TestDatabase.CreateAsync();
        settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        await using (var services = new ServiceCollection().AddSignalsStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider())
            await services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);

        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            silo.Services.AddSingleton<IConfiguration>(configuration);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSignalsGrains(configuration);
            addServices?.Invoke(silo.Services, configuration);
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = ("Npgsql", database.ConnectionString));
            silo.AddIncomingGrainCallFilter<DatabaseFailureCallFilter>();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return (database, cluster);
    }
}
