using Orleans.Runtime;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Workspaces;
using static OrleansSignals.FunctionalTests.Cluster.SignalsTestCluster;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Cluster;

/// <summary>The account and workspace grains on a three-silo Orleans test cluster over PostgreSQL.</summary>
public sealed class AccountGrainClusterTests : IAsyncLifetime
{
    private readonly SignalsTestCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Each_account_has_one_activation_in_the_cluster_however_many_calls_come_at_once()
    {
        var workspace = await _cluster.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        // 30 accounts, each sent 20 single-event requests at once.
        await Task.WhenAll(Enumerable.Range(0, 600).Select(i =>
            _cluster.IngestAsync(workspace, [Event($"e{i}", $"acct-{i % 30}", "login", now.AddSeconds(-i))])));

        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var activations = await management.GetDetailedGrainStatistics();
        var perAccount = activations.Where(a => a.GrainId.ToString().Contains(workspace + "/acct-", StringComparison.Ordinal)).GroupBy(a => a.GrainId).ToList();
        Assert.Equal(30, perAccount.Count);
        Assert.All(perAccount, g => Assert.Single(g));
        Assert.True(activations.Select(a => a.SiloAddress).Distinct().Count() > 1, "accounts are spread over the silos");
        foreach (var i in Enumerable.Range(0, 30))
        {
            // Ingest took its references from GetAccountGrain (built from the grain id after the first); reads here
            // take Orleans's own. Same grain, same interface: one activation each, as counted above.
            var key = AccountKey.For(workspace, $"acct-{i}");
            var orleans = (GrainReference)(object)_cluster.Client.GetGrain<IAccountGrain>(key);
            var ours = (GrainReference)(object)_cluster.Client.GetAccountGrain(key);
            Assert.Equal(orleans.GrainId, ours.GrainId);
            Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
            var state = await ((IAccountGrain)orleans).GetStateAsync();
            Assert.NotNull(state);
        }
        Assert.Equal(600L, await _cluster.Database.CheckpointedEventCountAsync(workspace, "login", 600L));
    }

    [Fact]
    public async Task A_silo_stopped_abruptly_mid_ingest_loses_no_acknowledged_event_and_writes_each_transition_once()
    {
        var workspace = await _cluster.CreateWorkspaceAsync();
        await _cluster.Client.GetGrain<IWorkspaceGrain>(workspace).SetLifecycleEventsAsync(["upgraded"]);
        var now = DateTimeOffset.UtcNow;
        var acknowledged = 0;
        var ingest = Task.Run(async () =>
        {
            for (var r = 0; r < 60; r++)
            {
                var events = Enumerable.Range(0, 20).Select(i => Event($"r{r}-{i}", $"acct-{i}", i % 4 == 0 ? "upgraded" : "login", now.AddSeconds(-r)))
                    .ToList();
                Interlocked.Add(ref acknowledged, await _cluster.IngestAsync(workspace, events));
            }
        });
        // Mid-ingest: some requests acknowledged, most still to come.
        await Infrastructure.Api.Eventually(() => Task.FromResult(Volatile.Read(ref acknowledged) >= 200 || ingest.IsCompleted), because: "ingest under way");
        Assert.False(ingest.IsCompleted, "the silo must stop while requests are still coming");
        await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[1]);
        await ingest;

        Assert.Equal(1200, acknowledged);
        // Every acknowledged event is applied: the surviving activations replayed what the lost ones had not checkpointed.
        Assert.Equal(900L, await _cluster.Database.CheckpointedEventCountAsync(workspace, "login", 900L));
        for (var i = 0; i < 20; i += 4)
        {
            var state = await _cluster.Client.GetGrain<IAccountGrain>(AccountKey.For(workspace, $"acct-{i}")).GetStateAsync();
            Assert.True(state!.Lifecycle.ContainsKey("upgraded"));
        }
        // One lifecycle transition per upgraded event, never two, whatever was replayed.
        Assert.Equal(300L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND type = 'lifecycle.event'", workspace));
        Assert.Equal(300L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT id) FROM history WHERE workspace_id = $1 AND type = 'lifecycle.event'", workspace));
    }

    [Fact]
    public async Task The_workspace_reminder_reevaluates_each_due_account_once_across_silos()
    {
        var workspace = await _cluster.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await _cluster.IngestAsync(workspace, [.. Enumerable.Range(0, 40).Select(i => Event($"d{i}", $"acct-{i}", "login", now))]);
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", workspace) == 40, because: "the checkpoint is written");

        // A definition the stored accounts meet: the change makes them due, and the workspace's reminder grain
        // (one activation in the cluster) re-evaluates each once.
        await _cluster.Client.GetGrain<IWorkspaceGrain>(workspace).UpsertDefinitionAsync(
            new InsightDefinition { Key = "any_login", Kind = "event_count", Event = "login", WindowDays = 7, Operator = "gte", Value = 1 });
        // Done when every account carries the insight and none is due any more: a sweep only re-evaluates due accounts,
        // so nothing is left that could be evaluated a second time.
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM accounts WHERE workspace_id = $1 AND 'any_login' = ANY(active_insights) AND next_due_at > now()", workspace) == 40);
        Assert.Equal(40L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND type = 'insight.triggered'", workspace));
        Assert.Equal(1L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM \"orleansreminderstable\" WHERE grainid LIKE $1", "%" + workspace + "%"));
    }

    [Fact]
    public async Task Replaying_the_journal_gives_the_same_state_and_the_same_transition_ids()
    {
        var workspace = await _cluster.CreateWorkspaceAsync();
        var grains = _cluster.Client.GetGrain<IWorkspaceGrain>(workspace);
        await grains.SetLifecycleEventsAsync(["upgraded"]);
        await grains.UpsertDefinitionAsync(new InsightDefinition { Key = "busy", Kind = "event_count", Event = "login", WindowDays = 7, Operator = "gte", Value = 5 });
        var now = DateTimeOffset.UtcNow;
        for (var r = 0; r < 8; r++)
            await _cluster.IngestAsync(workspace, [Event($"p{r}", "replayed", r % 3 == 0 ? "upgraded" : "login", now.AddMinutes(-r)), Event($"q{r}", "replayed", "login", now.AddMinutes(-r))]);
        var account = _cluster.Client.GetGrain<IAccountGrain>(AccountKey.For(workspace, "replayed"));
        var original = await account.GetStateAsync();
        var originalIds = await HistoryIds(workspace);
        Assert.True(originalIds.Length >= 4, $"lifecycle, insight and health transitions expected, got {originalIds.Length}");

        // Forget everything but the journal: no checkpoint, no history. A new activation replays from position 0.
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1 AND position = 16", workspace) == 1, because: "the checkpoint is written");
        await _cluster.Database.ScalarAsync<int>("WITH a AS (DELETE FROM accounts WHERE workspace_id = $1), h AS (DELETE FROM history WHERE workspace_id = $1) SELECT 1", workspace);

        var replayed = await account.GetStateAsync();
        Assert.Equal(Describe(original!), Describe(replayed!));
        Assert.Equal(originalIds, await HistoryIds(workspace));
    }

    [Fact]
    public async Task A_replay_under_a_changed_definition_announces_where_the_insight_ended()
    {
        var workspace = await _cluster.CreateWorkspaceAsync();
        await _cluster.Client.GetGrain<IWorkspaceGrain>(workspace).UpsertDefinitionAsync(
            new InsightDefinition { Key = "busy", Kind = "event_count", Event = "login", WindowDays = 7, Operator = "gte", Value = 5 });
        var now = DateTimeOffset.UtcNow;
        await _cluster.IngestAsync(workspace, [.. Enumerable.Range(0, 3).Select(i => Event($"a{i}", "acct", "login", now.AddMinutes(-i)))]);
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1 AND position = 3", workspace) == 1, because: "the checkpoint is written");
        var atThree = await _cluster.Database.ScalarAsync<string>("SELECT state::text FROM accounts WHERE workspace_id = $1", workspace);
        await _cluster.IngestAsync(workspace, [.. Enumerable.Range(3, 3).Select(i => Event($"a{i}", "acct", "login", now.AddMinutes(-i)))]);
        Assert.Equal(1L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND type = 'insight.triggered'", workspace));

        // The silo is lost before the account's newest checkpoint, and meanwhile the definition changed: the account's
        // checkpoint is back at position 3, the definition now asks for 100 logins.
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1 AND position = 6", workspace) == 1, because: "the checkpoint is written");
        await _cluster.Database.ScalarAsync<int>("""
            WITH a AS (UPDATE accounts SET state = $2::json, position = 3 WHERE workspace_id = $1),
                 w AS (UPDATE workspace_state SET state = jsonb_set(state, '{definitions,0,value}', '100') WHERE workspace_id = $1)
            SELECT 1
            """, workspace, atThree);

        // The replay runs positions 4-6 under the new definition: the insight never triggers, yet receivers were told it
        // did. The account announces that it is resolved, once.
        var state = await _cluster.Client.GetGrain<IAccountGrain>(AccountKey.For(workspace, "acct")).GetStateAsync();
        Assert.False(state!.Insights["busy"].Active);
        Assert.Equal(1L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND type = 'insight.resolved' AND key = 'busy'", workspace));
    }

    private async Task<Guid[]> HistoryIds(string workspace) =>
        [.. (await _cluster.Database.ScalarAsync<Guid[]>("SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM history WHERE workspace_id = $1", workspace))];

    private static string Describe(AccountView view) => System.Text.Json.JsonSerializer.Serialize(new
    {
        view.AccountId, view.HealthScore, Insights = view.Insights.OrderBy(p => p.Key).ToList(), Lifecycle = view.Lifecycle.OrderBy(p => p.Key).ToList(), view.UpdatedAt,
    });
}
