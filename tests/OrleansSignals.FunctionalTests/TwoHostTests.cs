using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

/// <summary>Two real host processes on one database, as a cluster runs: correctness must not depend on which silo an account is on.</summary>
public sealed class TwoHostTests : IAsyncLifetime
{
    private const string AdminToken = "two-host-admin-token-0123456789";
    private TestDatabase _database = null!;
    private HostProcess _a = null!;
    private HostProcess _b = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // Both start at once on an empty database: the migration lock makes them take turns.
        // Both deliver hooks, to a receiver on loopback.
        _a = HostProcess.Start(_database.ConnectionString, AdminToken, ("Signals:Hooks:AllowPrivateNetworks", "true"));
        _b = HostProcess.Start(_database.ConnectionString, AdminToken, ("Signals:Hooks:AllowPrivateNetworks", "true"));
        await Task.WhenAll(_a.WaitReadyAsync(TimeSpan.FromSeconds(60)), _b.WaitReadyAsync(TimeSpan.FromSeconds(60)));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Account_ids_with_a_slash_or_a_literal_percent_sequence_are_told_apart_over_http()
    {
        var admin = _a.Client(AdminToken);
        var key = (await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Slashes" })).Json(HttpStatusCode.Created)).GetProperty("api_key").GetString()!;
        var a = _a.Client(key);
        await (await a.PostEvents(Event("s1", "org/123", "login", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);
        // Kestrel leaves %2F encoded in the route value; "%252F" (the text "%2F") arrives as the same text.
        await (await a.PutAsJsonAsync("/api/accounts/org%252F123/traits", new { plan = "free" })).Json(HttpStatusCode.OK);
        await (await a.PutAsJsonAsync("/api/accounts/org%2F123/traits", new { plan = "pro" })).Json(HttpStatusCode.OK);

        Assert.Equal("pro", (await a.Account("org%2F123")).GetProperty("traits").GetProperty("plan").GetString());
        Assert.Equal("org/123", (await a.Account("org%2F123")).GetProperty("account_id").GetString());
        var literal = await a.Account("org%252F123");
        Assert.Equal(("org%2F123", "free"), (literal.GetProperty("account_id").GetString(), literal.GetProperty("traits").GetProperty("plan").GetString()));
        var history = await (await a.GetAsync("/api/accounts/org%2F123/history")).Json(HttpStatusCode.OK);
        Assert.True(history.GetProperty("items").GetArrayLength() > 0);
        // A trailing slash (routing accepts it) does not shift which segment is the id.
        await (await a.PutAsJsonAsync("/api/accounts/org%2F123/traits/", new { plan = "enterprise" })).Json(HttpStatusCode.OK);
        Assert.Equal("enterprise", (await a.Account("org%2F123/")).GetProperty("traits").GetProperty("plan").GetString());
        await (await a.GetAsync("/api/accounts/traits")).Json(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Concurrent_events_for_one_account_over_both_hosts_lose_no_update_and_record_each_transition_once()
    {
        var admin = _a.Client(AdminToken);
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Cluster" })).Json(HttpStatusCode.Created);
        var key = created.GetProperty("api_key").GetString()!;
        var workspace = created.GetProperty("id").GetString()!;
        var a = _a.Client(key);
        var b = _b.Client(key);
        await a.Define(new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 150 });
        await (await b.PutAsJsonAsync("/api/lifecycle-events", new[] { "upgraded" })).Json(HttpStatusCode.OK);
        // Subscribed to every account transition, health moves of any size included.
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = Guid.Parse((await (await a.PostAsJsonAsync("/api/webhooks", new
        {
            url = receiver.Url,
            event_types = new[] { "insight.triggered", "insight.resolved", "health_score.changed", "lifecycle.event" },
            filters = new { health_drop_gte = 1, health_rise_gte = 1 },
        })).Json(HttpStatusCode.Created)).GetProperty("id").GetString()!);

        const int Batches = 40;
        const int PerBatch = 10;
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, Batches).Select(async i =>
        {
            var events = Enumerable.Range(0, PerBatch).Select(j => Event($"b{i}-{j}", "hot", "login", now.AddSeconds(-(i * PerBatch + j))))
                .Append(Event($"u{i}", "hot", "upgraded", now.AddSeconds(-i)))
                .Append(Event($"o{i}", $"other-{i % 5}", "login", now)).ToArray();
            var accepted = await (await (i % 2 == 0 ? a : b).PostEvents(events)).Json(HttpStatusCode.Accepted);
            Assert.Equal(events.Length, accepted.GetProperty("accepted").GetInt32());
        }));

        const int Logins = Batches * PerBatch;
        Assert.Equal((long)Batches * (PerBatch + 2), await _database.ScalarAsync<long>("SELECT count(*) FROM events WHERE workspace_id = $1", workspace));
        Assert.Equal((long)Logins, await _database.CheckpointedEventCountAsync(workspace, "login", (long)Logins, "hot"));
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND account_id = 'hot' AND type = 'insight.triggered'", workspace));
        Assert.Equal((long)Batches, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND account_id = 'hot' AND type = 'lifecycle.event'", workspace));

        // Each transition was queued for hooks exactly once: the endpoint gets one message per history row, with
        // the history id as webhook-id, none missing and none twice, whichever host's dispatcher fanned it out.
        // (An account's first score has no move to measure and is never sent.)
        var expected = (await _database.ScalarAsync<Guid[]>("""
            SELECT coalesce(array_agg(id), '{}') FROM history
            WHERE workspace_id = $1 AND NOT (type = 'health_score.changed' AND old_value IS NULL)
            """, workspace)).Select(id => id.ToString()).Order().ToList();
        Assert.True(expected.Count > Batches, $"the insight and {Batches} lifecycle events at least, got {expected.Count}");
        await Eventually(() => Task.FromResult(receiver.Requests.Count >= expected.Count), TimeSpan.FromSeconds(30), "every transition is delivered");
        await _database.HooksSettledAsync(workspace);
        Assert.Equal(expected, receiver.Requests.Select(r => r.Id).Order());
        Assert.Equal(expected, (await _database.ScalarAsync<Guid[]>(
            "SELECT coalesce(array_agg(event_id), '{}') FROM webhook_messages WHERE endpoint_id = $1", endpoint)).Select(id => id.ToString()).Order());
        // And the two dispatchers consumed the queue between them: nothing is left in the outbox.
        await Eventually(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE workspace_id = $1", workspace) == 0,
            TimeSpan.FromSeconds(10), "the outbox is emptied");

        // Both hosts answer with the same, final state: the cluster holds one activation of the account.
        await Eventually(async () =>
        {
            var fromA = await a.Account("hot");
            var fromB = await b.Account("hot");
            return fromA.InsightActive("power_user") && fromB.InsightActive("power_user")
                && fromA.GetProperty("updated_at").GetString() == fromB.GetProperty("updated_at").GetString();
        }, TimeSpan.FromSeconds(10), "both hosts should serve the latest state");
    }

    [Fact]
    public async Task The_clustered_reminder_reevaluates_accounts_once_whichever_host_fires_it()
    {
        var admin = _b.Client(AdminToken);
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Reminders" })).Json(HttpStatusCode.Created);
        var key = created.GetProperty("api_key").GetString()!;
        var workspace = created.GetProperty("id").GetString()!;
        var a = _a.Client(key);
        var now = DateTimeOffset.UtcNow;
        await (await a.PostEvents(Enumerable.Range(0, 50).Select(i => Event($"r{i}", $"acct-{i}", "login", now)).ToArray())).Json(HttpStatusCode.Accepted);

        // Defined afterwards on host B: the workspace's reminder grain runs on one silo, and every account triggers exactly once.
        await _b.Client(key).Define(new { key = "any_login", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 1 });
        await Eventually(async () => await _database.ScalarAsync<long>(
            "SELECT count(*) FROM accounts WHERE workspace_id = $1 AND 'any_login' = ANY(active_insights)", workspace) == 50,
            TimeSpan.FromSeconds(60), "the reminder should evaluate every account");
        Assert.Equal(50L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND type = 'insight.triggered' AND key = 'any_login'", workspace));
        JsonElement sample = await a.Account("acct-7");
        Assert.True(sample.InsightActive("any_login"));
    }

    /// <summary>
    /// 200 single-event requests for one account, sent at once and spread over both hosts. Before the Orleans journal,
    /// the two hosts' activations of one account could commit in one group-commit batch; the batch's UPDATE applied one
    /// of their states and counted both as written, so 3-4 of 200 events were stored but never counted.
    /// </summary>
    [Fact]
    public async Task Single_event_requests_for_one_account_over_both_hosts_are_all_counted_and_trip_an_insight_at_exactly_200()
    {
        var admin = _a.Client(AdminToken);
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Lost updates" })).Json(HttpStatusCode.Created);
        var (key, workspace) = (created.GetProperty("api_key").GetString()!, created.GetProperty("id").GetString()!);
        var a = _a.Client(key);
        var b = _b.Client(key);
        await a.Define(new { key = "two_hundred", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 200 });
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
            await (await (i % 2 == 0 ? a : b).PostEvents(Event($"one-{i}", "single", "login", now.AddMilliseconds(-i)))).Json(HttpStatusCode.Accepted)));

        // Every acknowledged event is in the state a read returns at once, on either host.
        Assert.True((await a.Account("single")).InsightActive("two_hundred"));
        Assert.True((await b.Account("single")).InsightActive("two_hundred"));
        Assert.Equal(200L, await _database.CheckpointedEventCountAsync(workspace, "login", 200L, "single"));
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM history WHERE workspace_id = $1 AND account_id = 'single' AND type = 'insight.triggered'", workspace));
    }
}
