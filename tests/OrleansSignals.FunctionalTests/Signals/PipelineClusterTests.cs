using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Pipeline;
using OrleansSignals.Signals.Scoring;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>The pipeline grain on a two-silo Orleans cluster: one scheduled run a day, and runs that survive a lost silo.</summary>
public sealed class PipelineClusterTests : IAsyncLifetime
{
    private readonly PipelineTestCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private async Task SeedAsync(string workspace, int accounts, DateTimeOffset eventsAt, DateTimeOffset? definedAt = null)
    {
        await _cluster.StoreEventsAsync(workspace, [.. Enumerable.Range(0, accounts).Select(i =>
            new IncomingEvent($"e{i}", $"acct{i}.com", null, "login", eventsAt, null, null))]);
        var definitions = _cluster.Services(0).GetRequiredService<SignalDefinitionStore>();
        await definitions.InsertAsync(workspace, new SignalDefinition("logged_in", "Logged in", "events", "login", "gte", 1, 7, "account", true, "customer"), default);
        if (definedAt is { } at)
            await _cluster.Database.ScalarAsync<int>("UPDATE signal_definitions SET created_at = $2 WHERE workspace_id = $1 RETURNING 1", workspace, at);
    }

    /// <summary>A workspace whose pipeline grain lives on the second silo, the one the tests stop.</summary>
    private async Task<string> WorkspaceOnSecondSiloAsync()
    {
        var lost = _cluster.Cluster.Silos[1].SiloAddress;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var candidate = await _cluster.CreateWorkspaceAsync();
            await _cluster.Client.GetGrain<IPipelineGrain>(candidate).RunSoonAsync();
            SiloAddress? host = null;
            await Infrastructure.Api.Eventually(async () =>
            {
                var stats = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
                host = stats.FirstOrDefault(s => s.GrainId.ToString().Contains(candidate, StringComparison.Ordinal))?.SiloAddress;
                return host is not null;
            }, TimeSpan.FromSeconds(10), "the pipeline grain is activated");
            if (host == lost) return candidate;
        }
        Assert.Fail("no pipeline grain landed on the second silo");
        return "";
    }

    /// <summary>Every signal type delivered to an active webhook endpoint subscribed to signal.detected.</summary>
    private async Task DeliverToWebhooksAsync(string workspace)
    {
        await _cluster.Database.ScalarAsync<int>("""
            INSERT INTO webhook_endpoints (id, workspace_id, url, event_types, secret, created_at, updated_at)
            VALUES (gen_random_uuid(), $1, 'http://127.0.0.1:9/hook', ARRAY['signal.detected'], 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0', now(), now())
            RETURNING 1
            """, workspace);
        await _cluster.Database.ScalarAsync<int>("""
            INSERT INTO signal_delivery_configs (id, workspace_id, signal_type, destination_type, destination_config, is_active)
            VALUES (gen_random_uuid(), $1, '*', 'webhook', '{}', true)
            RETURNING 1
            """, workspace);
    }

    [Fact]
    public async Task The_days_scheduled_run_happens_once_however_many_silos_ask_for_it()
    {
        var workspace = await _cluster.CreateWorkspaceAsync();
        // Due at midnight UTC: today's run is due whenever the test runs, and covers the week up to midnight.
        await _cluster.Services(0).GetRequiredService<PipelineScheduleStore>().SetAsync(workspace, new PipelineSchedule(new TimeOnly(0, 0), "UTC", true), default);
        var due = new PipelineSchedule(new TimeOnly(0, 0), "UTC", true).DueAt(DateTimeOffset.UtcNow)!.Value;
        await SeedAsync(workspace, accounts: 5, eventsAt: due.AsOf.AddHours(-1), definedAt: DateTimeOffset.UtcNow.AddDays(-2));

        // Both silos ask at once, as their activations of a grain might after a split, and the grain itself ticks too.
        var created = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            _cluster.Services(i % 2).GetRequiredService<PipelineRunStore>().EnsureScheduledAsync(workspace, due.Day, due.AsOf, default)));
        await _cluster.Client.GetGrain<IPipelineGrain>(workspace).RunSoonAsync();

        Assert.Equal(1, created.Count(c => c));
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pipeline_runs WHERE workspace_id = $1 AND status = 'completed'", workspace) == 1, TimeSpan.FromSeconds(60), "the scheduled run completes");
        Assert.Equal(1L, await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM pipeline_runs WHERE workspace_id = $1", workspace));
        Assert.Equal($"scheduled:{due.Day:yyyy-MM-dd}", await _cluster.Database.ScalarAsync<string>("SELECT run_key FROM pipeline_runs WHERE workspace_id = $1", workspace));
        Assert.Equal(5L, await _cluster.Database.ScalarAsync<long>("SELECT count(DISTINCT account_id) FROM signals WHERE workspace_id = $1", workspace));
        Assert.Equal(5L, await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM signals WHERE workspace_id = $1", workspace));
    }

    [Fact]
    public async Task A_run_whose_silo_is_lost_inside_delivery_resumes_on_the_other_and_sends_each_occurrence_once()
    {
        var workspace = await WorkspaceOnSecondSiloAsync();
        const int accounts = 20;
        await SeedAsync(workspace, accounts, eventsAt: DateTimeOffset.UtcNow.AddHours(-1));
        await DeliverToWebhooksAsync(workspace);
        var run = await _cluster.Services(0).GetRequiredService<PipelineRunStore>().CreateManualAsync(workspace, DateTimeOffset.UtcNow, default);
        await _cluster.Client.GetGrain<IPipelineGrain>(workspace).RunSoonAsync();

        // One delivery per tick: stop the silo once some are delivered and most are not.
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal_deliveries WHERE run_id = $1 AND status = 'delivered'", run!.Id) >= 3, TimeSpan.FromSeconds(60), "delivery under way");
        await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[1]);
        Assert.True(await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM signal_deliveries WHERE run_id = $1 AND status = 'pending'", run!.Id) > 0,
            "the silo must stop inside delivery");

        // The reminder brings the grain back on the surviving silo once the lost one is declared dead; its lease ran out.
        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<string>("SELECT status FROM pipeline_runs WHERE id = $1", run.Id) == "completed",
            TimeSpan.FromMinutes(4), "the run resumes and completes");
        Assert.True(await _cluster.Database.ScalarAsync<int>("SELECT attempts FROM pipeline_runs WHERE id = $1", run.Id) >= 2, "the run was resumed");
        Assert.Equal((long)accounts, await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM signals WHERE run_id = $1", run.Id));
        Assert.Equal((long)accounts, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal_deliveries WHERE run_id = $1 AND status = 'delivered' AND attempts = 1", run.Id));
        // Each occurrence was handed to the hooks dispatcher once, under its own id.
        Assert.Equal((long)accounts, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox o JOIN signals s ON s.id = o.transition_id WHERE o.workspace_id = $1 AND o.type = 'signal.detected'", workspace));
        Assert.Equal(1L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pipeline_run_definitions WHERE run_id = $1", run.Id));
    }

    [Fact]
    public async Task A_run_whose_silo_is_stopped_between_evaluate_and_score_resumes_on_the_other_without_evaluating_again()
    {
        var workspace = await WorkspaceOnSecondSiloAsync();
        const int accounts = 12;
        await SeedAsync(workspace, accounts, eventsAt: DateTimeOffset.UtcNow.AddHours(-1));
        // A second definition: evaluation takes two units (two ticks), as a real run's several definitions do.
        await _cluster.Services(0).GetRequiredService<SignalDefinitionStore>().InsertAsync(workspace,
            new SignalDefinition("logged_in_month", "Logged in this month", "events", "login", "gte", 1, 30, "account", true, "customer"), default);
        await _cluster.Services(0).GetRequiredService<ScoringStore>().SetAsync(workspace, new ScoringSettings("upgraded", null, 30, 1), default);
        await DeliverToWebhooksAsync(workspace);

        // The score step's first read is the workspace's scoring settings: holding that table locked keeps the run
        // between its two steps (evaluate completed, nothing scored) for as long as the test needs to stop the silo.
        await using var hold = new NpgsqlConnection(_cluster.Database.ConnectionString);
        await hold.OpenAsync();
        await using var holding = await hold.BeginTransactionAsync();
        await using (var lockScoring = new NpgsqlCommand("LOCK TABLE signal_scoring IN ACCESS EXCLUSIVE MODE", hold, holding))
            await lockScoring.ExecuteNonQueryAsync();
        var run = (await _cluster.Services(0).GetRequiredService<PipelineRunStore>().CreateManualAsync(workspace, DateTimeOffset.UtcNow, default))!;
        await _cluster.Client.GetGrain<IPipelineGrain>(workspace).RunSoonAsync();

        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<string>(
            "SELECT status FROM pipeline_run_steps WHERE run_id = $1 AND step = 'evaluate'", run.Id) == "completed", TimeSpan.FromSeconds(60), "evaluation completes");
        var evaluated = await EvaluationRecordAsync(run.Id);
        Assert.Equal(0L, await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM signal_aggregates WHERE run_id = $1", run.Id));
        Assert.Equal(0L, await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM signal_deliveries WHERE run_id = $1", run.Id));
        await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[1]);
        await holding.RollbackAsync();

        await Infrastructure.Api.Eventually(async () => await _cluster.Database.ScalarAsync<string>("SELECT status FROM pipeline_runs WHERE id = $1", run.Id) == "completed",
            TimeSpan.FromMinutes(4), "the run resumes on the surviving silo and completes");
        Assert.True(await _cluster.Database.ScalarAsync<int>("SELECT attempts FROM pipeline_runs WHERE id = $1", run.Id) >= 2, "the run was resumed");
        // Evaluation was not done again: its step (first start, finish, time, counts), its definitions' outcomes and its
        // occurrences are exactly as they were when the silo stopped.
        Assert.Equal(evaluated, await EvaluationRecordAsync(run.Id));
        Assert.Equal((long)accounts * 2, await _cluster.Database.ScalarAsync<long>("SELECT count(*) FROM signals WHERE run_id = $1", run.Id));
        // Scoring and delivery were done once, after the stop: one aggregate per definition, each occurrence delivered at its first attempt.
        Assert.Equal("completed", await _cluster.Database.ScalarAsync<string>("SELECT status FROM pipeline_run_steps WHERE run_id = $1 AND step = 'score'", run.Id));
        Assert.Equal(2L, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal_aggregates WHERE run_id = $1 AND error IS NULL AND outcome_event = 'upgraded'", run.Id));
        Assert.Equal((long)accounts * 2, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal_deliveries WHERE run_id = $1 AND status = 'delivered' AND attempts = 1", run.Id));
        Assert.Equal((long)accounts * 2, await _cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox o JOIN signals s ON s.id = o.transition_id WHERE o.workspace_id = $1 AND o.type = 'signal.detected'", workspace));
    }

    /// <summary>What the evaluate step left: the step row, each definition's outcome and the occurrences, as one comparable text.</summary>
    private Task<string> EvaluationRecordAsync(Guid runId) => _cluster.Database.ScalarAsync<string>("""
        SELECT concat_ws(' / ',
            (SELECT concat_ws(' ', status, started_at, finished_at, duration_ms, counts) FROM pipeline_run_steps WHERE run_id = $1 AND step = 'evaluate'),
            (SELECT string_agg(concat_ws(' ', type, status, matched, stored, duration_ms), ', ' ORDER BY type) FROM pipeline_run_definitions WHERE run_id = $1),
            (SELECT string_agg(concat_ws(' ', id, type, account_id), ', ' ORDER BY id) FROM signals WHERE run_id = $1))
        """, runId);
}
