using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Grains;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Storage;

namespace OrleansSignals.FunctionalTests.Cluster;

/// <summary>
/// Three in-process Orleans silos (Microsoft.Orleans.TestingHost) running the product's grains on a fresh PostgreSQL
/// database, with the product's storage and Orleans's ADO.NET reminders. Silos can be stopped abruptly.
/// </summary>
public sealed class SignalsTestCluster : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;

    /// <summary>A workspace row (the tables reference it) for this test.</summary>
    public async Task<string> CreateWorkspaceAsync()
    {
        var id = "ws_" + Guid.NewGuid().ToString("N")[..12];
        await Database.ScalarAsync<int>("INSERT INTO workspaces (id, name) VALUES ($1, 'cluster test') RETURNING 1", id);
        return id;
    }

    public async Task InitializeAsync() =>
        (Database, Cluster) = await ProductCluster.StartAsync(3, new()
        {
            ["Signals:Reminders:SweepInterval"] = "00:00:01",
            ["Signals:Storage:CheckpointInterval"] = "00:00:00.500",
            // Tests change a workspace's configuration behind its grain's back (as a crash and a restart would leave it):
            // turns must read the configuration itself, not a silo's copy of it.
            ["Signals:Storage:ConfigCacheTtl"] = "00:00:00",
        });

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Appends one request's events to the journal and has each account apply them, as the API does.</summary>
    public async Task<int> IngestAsync(string workspaceId, IReadOnlyList<IncomingEvent> events)
    {
        var journal = Cluster.Silos[0].ServiceProvider.GetRequiredService<EventJournal>();
        var appended = await journal.AppendAsync(new EventJournal.Append(workspaceId, Iso.Microseconds(DateTimeOffset.UtcNow), events));
        foreach (var (account, batch) in appended.Batches)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await Client.GetAccountGrain(workspaceId, account).ApplyAsync(batch);
                    break;
                }
                catch (Exception) when (attempt < 5)
                {
                    // A silo went away under the call: the next activation replays the journal.
                }
            }
        }
        return appended.Batches.Sum(b => b.Batch.Events.Count);
    }

    public static IncomingEvent Event(string id, string account, string name, DateTimeOffset at) => new(id, account, null, name, at, null, null);
}
