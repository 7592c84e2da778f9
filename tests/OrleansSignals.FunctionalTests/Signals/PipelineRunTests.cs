using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>Runs of the daily pipeline through the API on one host: evaluate and deliver, step by step.</summary>
public sealed class PipelineRunTests(PipelineFactory factory) : IClassFixture<PipelineFactory>
{
    private static object Busy => new { type = "busy", event_name = "login", condition_operator = "gte", condition_value = 3, time_window_days = 7 };

    private async Task<(HttpClient Client, string Workspace)> WorkspaceWithLoginsAsync(params (string Account, int Logins)[] accounts)
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await client.NoSchedule();
        var now = DateTimeOffset.UtcNow;
        var events = accounts.SelectMany(a => Enumerable.Range(0, a.Logins).Select(i => Event($"{a.Account}-{i}", a.Account, "login", now.AddHours(-1 - i)))).ToArray();
        await (await client.PostEvents(events)).Json(HttpStatusCode.Accepted);
        // Signals that count zero events read the known accounts: wait until their checkpoints are stored.
        await Eventually(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", workspace) == accounts.Length,
            because: "the accounts are stored");
        return (client, workspace);
    }

    [Fact]
    public async Task A_run_stores_each_matching_account_once_and_a_rerun_stores_nothing_new()
    {
        var (client, _) = await WorkspaceWithLoginsAsync(("a.com", 4), ("b.com", 1), ("c.com", 3));
        await client.DefineSignal(Busy);
        await client.DefineSignal(new { type = "quiet", event_name = "login", condition_operator = "lt", condition_value = 2, time_window_days = 7 });

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var evaluate = run.Step("evaluate");
        Assert.Equal("completed", evaluate.GetProperty("status").GetString());
        Assert.Equal(2, evaluate.GetProperty("counts").GetProperty("definitions").GetInt32());
        Assert.Equal(3, evaluate.GetProperty("counts").GetProperty("occurrences").GetInt32());
        Assert.Equal("completed", run.Step("deliver").GetProperty("status").GetString());

        var signals = await client.Signals();
        Assert.Equal(["busy|a.com", "busy|c.com", "quiet|b.com"],
            signals.Select(s => $"{s.GetProperty("type").GetString()}|{s.GetProperty("account_id").GetString()}").Order().ToArray());
        Assert.Equal(4, signals.Single(s => s.GetProperty("account_id").GetString() == "a.com").GetProperty("value").GetDouble());
        Assert.Equal(2, (await client.Signals("&type=busy")).Count);
        Assert.Single(await client.Signals("&account_id=b.com"));

        // The same data again, in a second run: every occurrence is within its window already.
        var rerun = await client.RunPipeline();
        Assert.Equal("completed", rerun.GetProperty("status").GetString());
        Assert.Equal(0, rerun.Step("evaluate").GetProperty("counts").GetProperty("occurrences").GetInt32());
        Assert.Equal(3, (await client.Signals()).Count);
        var latest = await (await client.GetAsync("/api/pipeline/runs/latest")).Json(HttpStatusCode.OK);
        Assert.Equal(rerun.GetProperty("id").GetString(), latest.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/signals?cursor=nonsense")).StatusCode);
    }

    [Fact]
    public async Task A_definition_that_fails_is_recorded_with_its_error_and_the_others_still_run()
    {
        var (client, _) = await WorkspaceWithLoginsAsync(("d.com", 3));
        // A definition whose occurrences the database refuses (as a bad query or a timeout would fail it).
        await factory.Database.ScalarAsync<int>("ALTER TABLE signals ADD CONSTRAINT test_refuses_broken CHECK (type <> 'broken'); SELECT 1");
        // Its score too (a failure is still recorded, with its error).
        await factory.Database.ScalarAsync<int>("ALTER TABLE signal_aggregates ADD CONSTRAINT test_refuses_broken_score CHECK (type <> 'broken' OR error IS NOT NULL); SELECT 1");
        await client.DefineSignal(new { type = "broken", event_name = "login", condition_operator = "gte", condition_value = 1, time_window_days = 7 });
        await client.DefineSignal(Busy);

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var outcomes = run.GetProperty("definitions").EnumerateArray().ToDictionary(d => d.GetProperty("type").GetString()!);
        Assert.Equal("failed", outcomes["broken"].GetProperty("status").GetString());
        Assert.Contains("test_refuses_broken", outcomes["broken"].GetProperty("error").GetString());
        Assert.Equal("completed", outcomes["busy"].GetProperty("status").GetString());
        Assert.Equal(1, run.Step("evaluate").GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal("busy", Assert.Single(await client.Signals()).GetProperty("type").GetString());
        Assert.Equal(1, run.Step("score").GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal(1, run.Step("score").GetProperty("counts").GetProperty("scored").GetInt32());
        var scores = (await (await client.GetAsync("/api/signals/aggregates")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .ToDictionary(a => a.GetProperty("type").GetString()!);
        Assert.Contains("test_refuses_broken_score", scores["broken"].GetProperty("error").GetString());
        Assert.Equal(1, scores["busy"].GetProperty("matched").GetInt32());
    }

    [Fact]
    public async Task An_insight_signal_takes_the_accounts_whose_insight_became_active_since_the_last_run()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await client.NoSchedule();
        await client.Define(new { key = "power", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 2 });
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("p1", "p.com", "login", now.AddMinutes(-5)), Event("p2", "p.com", "login", now.AddMinutes(-4)),
            Event("q1", "q.com", "login", now.AddMinutes(-4)))).Json(HttpStatusCode.Accepted);
        await Eventually(async () => (await client.Account("p.com")).InsightActive("power"), because: "the insight triggers");
        await client.DefineSignal(new { type = "became_power", source = "insight", event_name = "power" });

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal("p.com", Assert.Single(await client.Signals()).GetProperty("account_id").GetString());
    }

    [Fact]
    public async Task New_occurrences_go_to_webhooks_as_signal_detected_with_their_own_id_and_unconfigured_destinations_say_so()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (client, _) = await WorkspaceWithLoginsAsync(("e.com", 3), ("f.com", 5));
        await (await client.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url, event_types = new[] { "signal.detected" } })).Json(HttpStatusCode.Created);
        foreach (var destination in new object[]
                 {
                     new { signal_type = "*", destination_type = "webhook" },
                     new { signal_type = "busy", destination_type = "slack" },
                     new { signal_type = "busy", destination_type = "attio_list", destination_config = new { list_id = "hot" } },
                 })
            await (await client.PostAsJsonAsync("/api/signals/delivery-configs", destination)).Json(HttpStatusCode.Created);
        await client.DefineSignal(Busy);

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var deliver = run.Step("deliver").GetProperty("counts");
        Assert.Equal(2, deliver.GetProperty("delivered").GetInt32());
        Assert.Equal(4, deliver.GetProperty("skipped").GetInt32());

        var signals = await client.Signals();
        Assert.Equal(2, signals.Count);
        await Eventually(() => Task.FromResult(receiver.Requests.Count >= 2), because: "both occurrences reach the webhook");
        foreach (var signal in signals)
        {
            var id = signal.GetProperty("id").GetString()!;
            var hook = Assert.Single(receiver.Requests, r => r.Id == id);
            Assert.Equal("signal.detected", hook.Json.GetProperty("type").GetString());
            Assert.Equal(signal.GetProperty("account_id").GetString(), hook.Json.GetProperty("data").GetProperty("account_id").GetString());

            var deliveries = (await (await client.GetAsync($"/api/signals/{id}/deliveries")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
                .ToDictionary(d => d.GetProperty("destination_type").GetString()!);
            Assert.Equal("delivered", deliveries["webhook"].GetProperty("status").GetString());
            Assert.True(deliveries["webhook"].TryGetProperty("delivered_at", out _));
            Assert.Equal("skipped", deliveries["slack"].GetProperty("status").GetString());
            Assert.Contains("not configured", deliveries["slack"].GetProperty("error").GetString());
            Assert.Equal("skipped", deliveries["attio_list"].GetProperty("status").GetString());
            Assert.Contains("/api/integrations/attio", deliveries["attio_list"].GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task A_burst_to_Attio_stays_under_its_rate_limit_survives_429_and_5xx_and_adds_each_company_to_the_list()
    {
        var accounts = Enumerable.Range(0, 30).Select(i => ($"co{i}.example.com", 1)).ToArray();
        var (client, _) = await WorkspaceWithLoginsAsync(accounts);
        await (await client.PutAsJsonAsync("/api/integrations/attio", new { api_key = FakeAttio.Token })).Json(HttpStatusCode.NoContent);
        await (await client.PostAsJsonAsync("/api/signals/delivery-configs",
            new { signal_type = "*", destination_type = "attio_list", destination_config = new { list_id = "burst-list" } })).Json(HttpStatusCode.Created);
        await client.DefineSignal(new { type = "active", event_name = "login", condition_operator = "gte", condition_value = 1, time_window_days = 7 });
        factory.Attio.Failures.Enqueue(503);
        factory.Attio.Failures.Enqueue(429);

        var run = await client.RunPipeline(TimeSpan.FromSeconds(90));
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(30, run.Step("deliver").GetProperty("counts").GetProperty("delivered").GetInt32());
        Assert.Equal(30, factory.Attio.Lists["burst-list"].Count);
        Assert.Equal(0, factory.Attio.OverLimit);
        Assert.True(factory.Attio.MostInAnyWindow() <= factory.Attio.Limit, $"{factory.Attio.MostInAnyWindow()} requests in one window");
        Assert.True(factory.Attio.Arrivals.Count >= 62, $"30 company asserts, 30 list entries and 2 retried failures: {factory.Attio.Arrivals.Count}");

        var signal = (await client.Signals("&account_id=co7.example.com")).Single();
        var delivery = Assert.Single((await (await client.GetAsync($"/api/signals/{signal.GetProperty("id").GetString()}/deliveries")).Json(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        Assert.Equal("attio list burst-list", delivery.GetProperty("destination").GetString());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_second_run_is_refused_while_one_is_in_progress()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await client.NoSchedule();
        // A run another host holds (its lease far ahead).
        await factory.Database.ScalarAsync<int>("""
            INSERT INTO pipeline_runs (id, workspace_id, run_key, trigger, status, as_of, leased_until, attempts)
            VALUES (gen_random_uuid(), $1, 'manual:held', 'manual', 'running', now(), now() + interval '1 hour', 1) RETURNING 1
            """, workspace);
        var refused = await client.PostAsync("/api/pipeline/runs", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        await factory.Database.ScalarAsync<int>("WITH d AS (DELETE FROM pipeline_runs WHERE workspace_id = $1) SELECT 1", workspace);
        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Signals_and_pipeline_runs_are_export_datasets()
    {
        var (client, _) = await WorkspaceWithLoginsAsync(("g.com", 3));
        await client.DefineSignal(Busy);
        // A digest recipient, on a host without Mail:Host: the notify step is skipped and says why.
        await (await client.PutAsJsonAsync("/api/workspace/notifications", new { recipients = new[] { "ops@acme.test" } })).Json(HttpStatusCode.OK);
        var run = await client.RunPipeline();
        var signal = Assert.Single(await client.Signals());
        Assert.Equal("skipped", run.Step("notify").GetProperty("status").GetString());
        Assert.StartsWith("mail not configured", run.Step("notify").GetProperty("reason").GetString());

        var signals = await Exports.ExportClient.ExportAsync(client, new { dataset = "signals", format = "csv", destination = new { type = "local" } });
        Assert.Equal("completed", signals.GetProperty("status").GetString());
        var csv = await (await client.GetAsync($"/api/datalake/exports/{signals.GetProperty("id").GetString()}/download")).Content.ReadAsStringAsync();
        Assert.Contains(signal.GetProperty("id").GetString()!, csv);
        Assert.Contains("g.com", csv);

        var runs = await Exports.ExportClient.ExportAsync(client, new { dataset = "pipeline-runs", format = "jsonl", destination = new { type = "local" } });
        Assert.Equal("completed", runs.GetProperty("status").GetString());
        var lines = (await (await client.GetAsync($"/api/datalake/exports/{runs.GetProperty("id").GetString()}/download")).Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["evaluate", "score", "deliver", "notify"], lines.Select(l => l.GetProperty("step").GetString()!).ToArray());
        Assert.Equal("skipped", lines[3].GetProperty("step_status").GetString());
        Assert.StartsWith("mail not configured", lines[3].GetProperty("reason").GetString());
        Assert.All(lines, l => Assert.Equal(run.GetProperty("id").GetString(), l.GetProperty("run_id").GetString()));
    }

    [Fact]
    public async Task Scores_compare_conversion_and_a_significant_candidate_is_promoted_with_its_statistics()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await client.NoSchedule();
        var now = DateTimeOffset.UtcNow;
        // 20 accounts exported 35 days ago (the window that ended 30 days before the run), 15 of them upgraded since;
        // 20 others did not export, 2 of them upgraded.
        var events = new List<object>();
        for (var i = 0; i < 20; i++)
        {
            events.Add(Event($"x{i}", $"x{i}.com", "export", now.AddDays(-35)));
            if (i < 15) events.Add(Event($"xu{i}", $"x{i}.com", "upgraded", now.AddDays(-10)));
            events.Add(Event($"y{i}", $"y{i}.com", "login", now.AddDays(-35)));
            if (i < 2) events.Add(Event($"yu{i}", $"y{i}.com", "upgraded", now.AddDays(-10)));
        }
        await (await client.PostEvents([.. events])).Json(HttpStatusCode.Accepted);
        await Eventually(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", workspace) == 40,
            because: "the accounts are stored");
        await (await client.PutAsJsonAsync("/api/signals/scoring", new { outcome_event = "upgraded", outcome_days = 30, min_support = 10 })).Json(HttpStatusCode.OK);
        await (await client.PostAsJsonAsync("/api/signals/candidates",
            new { type = "exporter", event_name = "export", condition_operator = "gte", condition_value = 1, time_window_days = 7 })).Json(HttpStatusCode.Created);
        await (await client.PostAsJsonAsync("/api/signals/candidates",
            new { type = "rare_login", event_name = "login", condition_operator = "gte", condition_value = 5, time_window_days = 7 })).Json(HttpStatusCode.Created);

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.Step("score").GetProperty("counts").GetProperty("promoted").GetInt32());
        // A candidate is inactive while it is evaluated for its score: it stores no occurrence.
        Assert.Empty(await client.Signals());

        var aggregates = (await (await client.GetAsync("/api/signals/aggregates")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .ToDictionary(a => a.GetProperty("type").GetString()!);
        var exporter = aggregates["exporter"];
        Assert.Equal(20, exporter.GetProperty("matched").GetInt32());
        Assert.Equal(15, exporter.GetProperty("matched_converted").GetInt32());
        Assert.Equal(20, exporter.GetProperty("rest").GetInt32());
        Assert.Equal(2, exporter.GetProperty("rest_converted").GetInt32());
        Assert.Equal(7.5, exporter.GetProperty("lift").GetDouble(), 6);
        Assert.True(exporter.GetProperty("p_value").GetDouble() < 0.05);
        Assert.True(exporter.GetProperty("promoted").GetBoolean());
        Assert.Equal(0, aggregates["rare_login"].GetProperty("matched").GetInt32());
        Assert.False(aggregates["rare_login"].GetProperty("promoted").GetBoolean());

        var promoted = await (await client.GetAsync("/api/signals/definitions/exporter")).Json(HttpStatusCode.OK);
        Assert.True(promoted.GetProperty("is_active").GetBoolean());
        Assert.Equal("agent", promoted.GetProperty("origin").GetString());
        Assert.False((await (await client.GetAsync("/api/signals/definitions/rare_login")).Json(HttpStatusCode.OK)).GetProperty("is_active").GetBoolean());
        Assert.True(await factory.Database.ScalarAsync<double>("SELECT p_value FROM signal_promotions WHERE workspace_id = $1 AND type = 'exporter'", workspace) < 0.05);
    }

    [Fact]
    public async Task A_slack_destination_posts_a_readable_line_per_occurrence()
    {
        await using var slack = await WebhookReceiver.StartAsync();
        var (client, _) = await WorkspaceWithLoginsAsync(("h.com", 4));
        await (await client.PostAsJsonAsync("/api/webhooks", new { url = slack.Url, event_types = new[] { "signal.detected" }, format = "slack" })).Json(HttpStatusCode.Created);
        await (await client.PostAsJsonAsync("/api/signals/delivery-configs", new { signal_type = "busy", destination_type = "slack" })).Json(HttpStatusCode.Created);
        await client.DefineSignal(Busy);

        var run = await client.RunPipeline();
        Assert.Equal(1, run.Step("deliver").GetProperty("counts").GetProperty("delivered").GetInt32());
        await Eventually(() => Task.FromResult(!slack.Requests.IsEmpty), because: "Slack gets the occurrence");
        Assert.Equal(":bell: Account *h.com*: signal `busy` detected (value 4)", Assert.Single(slack.Requests).Json.GetProperty("text").GetString());
    }
}
