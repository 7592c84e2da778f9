using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using OrleansSignals.Enrichment;
using OrleansSignals.Enrichment.Batches;
using OrleansSignals.Enrichment.Providers;
using OrleansSignals.Enrichment.Upload;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Grains;
using OrleansSignals.Storage;

namespace OrleansSignals.FunctionalTests.Enrichment;

/// <summary>
/// Two in-process silos (Orleans TestingHost) with ADO.NET reminders on PostgreSQL: the silo running a batch is stopped
/// mid-batch; the batch's reminder brings it back on the other silo, which finishes it without calling the provider
/// again for any step that had succeeded.
/// </summary>
public sealed class EnrichmentClusterTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private InProcessTestCluster _cluster = null!;
    private ProviderServer _provider = null!;

    public async Task InitializeAsync()
    {
        _provider = await ProviderServer.StartAsync();
        (_database, _cluster) = await FunctionalTests.Cluster.ProductCluster.StartAsync(2, new()
        {
            ["Signals:AdminToken"] = "cluster-test-admin-token",
            ["Signals:Enrichment:AllowPrivateNetworks"] = "true",
            ["Signals:Enrichment:PageSize"] = "4",
        }, (services, _) => services.AddSignalsEnrichment());
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_whose_silo_stops_resumes_on_the_other_silo_without_repeating_a_succeeded_step()
    {
        const int Items = 60;
        _provider.Delay = TimeSpan.FromMilliseconds(250);
        _provider.Respond = (_, body, _) => new(200, new { person = new { email = body.GetProperty("person").GetProperty("email").GetString() } });
        var workspace = "ws_" + Guid.NewGuid().ToString("N")[..12];
        await _database.ScalarAsync<int>("INSERT INTO workspaces (id, name) VALUES ($1, 'cluster') RETURNING 1", workspace);
        var services = _cluster.Silos[0].ServiceProvider;
        await services.GetRequiredService<ProviderStore>().UpsertAsync(workspace,
            new ProviderRequest("people", _provider.BaseUrl + "/people", null, null, 6000, 2, 5000, null), [], CancellationToken.None);
        var csv = "Email\n" + string.Concat(Enumerable.Range(0, Items).Select(i => $"p{i}@x.example\n"));
        var staged = await services.GetRequiredService<BatchStager>().StageAsync(
            new BatchStager.Request(workspace, ["people"], null, "people.csv", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv))), CancellationToken.None);

        await _cluster.Client.GetGrain<IEnrichmentBatchGrain>(staged.Id).StartAsync();
        await Infrastructure.Api.Eventually(async () => await SucceededAsync(staged.Id) >= 8, TimeSpan.FromSeconds(30), "the batch to be under way");

        var host = await HostOfBatchAsync(staged.Id);
        var stopped = _cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await _cluster.StopSiloAsync(stopped);
        var atStop = await SucceededAsync(staged.Id);
        Assert.True(atStop < Items, "the silo must stop mid-batch");

        // Nobody calls the grain: its reminder alone brings the batch back (Orleans reminders tick once a minute).
        await Infrastructure.Api.Eventually(async () => await _database.ScalarAsync<string>("SELECT status FROM enrichment_batches WHERE id = $1", staged.Id) == "completed",
            TimeSpan.FromMinutes(3), "the batch to complete on the remaining silo");
        Assert.Equal(Items, await SucceededAsync(staged.Id));
        var successes = _provider.Successes();
        Assert.Equal(Items, successes.Count);
        Assert.All(successes, s => Assert.Equal(1, s.Value));
        Assert.Equal((long)Items, await _database.ScalarAsync<long>("SELECT count(*) FROM enrichment_results WHERE batch_id = $1 AND status = 'succeeded'", staged.Id));
        Assert.NotEqual(host, await HostOfBatchAsync(staged.Id) ?? host);
    }

    private async Task<long> SucceededAsync(Guid batch) =>
        await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_states WHERE batch_id = $1 AND status = 'succeeded'", batch);

    private async Task<SiloAddress?> HostOfBatchAsync(Guid batch)
    {
        var activations = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return activations.FirstOrDefault(a => a.GrainId.ToString().Contains(batch.ToString("N"), StringComparison.OrdinalIgnoreCase)
                                               || a.GrainId.ToString().Contains(batch.ToString(), StringComparison.OrdinalIgnoreCase))?.SiloAddress;
    }
}
