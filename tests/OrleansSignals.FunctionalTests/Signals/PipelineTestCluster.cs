using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Grains;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Signals;
using OrleansSignals.Storage;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// Two in-process Orleans silos (TestingHost) running the product's grains and the signal pipeline on a fresh
/// PostgreSQL database, with Orleans's ADO.NET reminders. The pipeline works one unit per tick (a definition, one
/// delivery), so a test can stop a silo in the middle of a run.
/// </summary>
public sealed class PipelineTestCluster : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;

    public IServiceProvider Services(int silo) => Cluster.Silos[silo].ServiceProvider;

    public async Task InitializeAsync() =>
        (Database, Cluster) = await FunctionalTests.Cluster.ProductCluster.StartAsync(2, new()
        {
            ["Signals:Pipeline:TickInterval"] = "00:00:00.300",
            ["Signals:Pipeline:Lease"] = "00:00:03",
            ["Signals:Pipeline:TimeBudget"] = "00:00:00",
            ["Signals:Pipeline:DeliveryBatchSize"] = "1",
        }, (services, configuration) => services.AddSignalsPipeline(configuration));

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }

    public async Task<string> CreateWorkspaceAsync()
    {
        var id = "ws_" + Guid.NewGuid().ToString("N")[..12];
        await Database.ScalarAsync<int>("INSERT INTO workspaces (id, name) VALUES ($1, 'pipeline cluster test') RETURNING 1", id);
        return id;
    }

    /// <summary>Stores events in the workspace's journal (the events table evaluation reads).</summary>
    public async Task StoreEventsAsync(string workspaceId, IReadOnlyList<IncomingEvent> events) =>
        await Services(0).GetRequiredService<EventJournal>().AppendAsync(new EventJournal.Append(workspaceId, DateTimeOffset.UtcNow, events));
}
