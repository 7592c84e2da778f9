using System.Net;
using System.Net.Http.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

public sealed class AccountsApiTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    [Fact]
    public async Task Fields_selects_what_is_returned_and_unknown_fields_are_refused()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await (await client.PostEvents(Event("f1", "acme", "login", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);
        var some = await (await client.GetAsync("/api/accounts/acme?fields=health_score,insights")).Json(HttpStatusCode.OK);
        Assert.Equal(["account_id", "health_score", "insights"], some.EnumerateObject().Select(p => p.Name));

        var all = await client.Account("acme");
        Assert.Equal(["account_id", "health_score", "insights", "lifecycle", "traits", "updated_at"], all.EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("Z", all.GetProperty("updated_at").GetString());

        var problem = await (await client.GetAsync("/api/accounts/acme?fields=health_score,mood")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("mood", problem.GetProperty("errors").GetProperty("fields")[0].GetString());
        await (await client.GetAsync("/api/accounts/nobody")).Json(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Accounts_can_be_listed_by_insight_and_health_a_page_at_a_time()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await client.Define(new { key = "churn_risk", kind = "event_count", @event = "login", window_days = 14, @operator = "lt", value = 1 });
        await (await client.PutAsJsonAsync("/api/health-model", new { @base = 30, components = new object[] { new { type = "insight", insight = "churn_risk", weight = -20 } } })).Json(HttpStatusCode.OK);
        var now = DateTimeOffset.UtcNow;
        // 7 accounts at risk (page views only), 3 healthy (logins).
        var events = Enumerable.Range(0, 7).Select(i => Event($"v{i}", $"risk-{i}", "page_view", now))
            .Concat(Enumerable.Range(0, 3).Select(i => Event($"l{i}", $"fine-{i}", "login", now))).ToArray();
        await (await client.PostEvents(events)).Json(HttpStatusCode.Accepted);

        // Lists read checkpoints, which follow acknowledged events within the checkpoint interval (docs/decisions.md).
        var seen = new List<string>();
        await Eventually(async () =>
        {
            seen.Clear();
            string? cursor = null;
            do
            {
                var page = await (await client.GetAsync($"/api/accounts?insight=churn_risk&health_lt=40&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}")).Json(HttpStatusCode.OK);
                seen.AddRange(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("account_id").GetString()!));
                cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
            }
            while (cursor is not null);
            return seen.Count == 7;
        }, TimeSpan.FromSeconds(10), "the list shows the accounts within the checkpoint interval");
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"risk-{i}"), seen);

        var healthy = await (await client.GetAsync("/api/accounts?health_gt=20")).Json(HttpStatusCode.OK);
        Assert.Equal(3, healthy.GetProperty("items").GetArrayLength());
        await (await client.GetAsync("/api/accounts?limit=0")).Json(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/accounts?cursor=%%%")).Json(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task History_pages_newest_first()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await (await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "deployed" })).Json(HttpStatusCode.OK);
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Enumerable.Range(0, 5).Select(i => Event($"dep{i}", "acme", "deployed", now.AddHours(-i))).ToArray())).Json(HttpStatusCode.Accepted);

        var first = await (await client.GetAsync("/api/accounts/acme/history?type=lifecycle.event&limit=2")).Json(HttpStatusCode.OK);
        var second = await (await client.GetAsync($"/api/accounts/acme/history?type=lifecycle.event&limit=2&cursor={first.GetProperty("next_cursor").GetString()}")).Json(HttpStatusCode.OK);
        var third = await (await client.GetAsync($"/api/accounts/acme/history?type=lifecycle.event&limit=2&cursor={second.GetProperty("next_cursor").GetString()}")).Json(HttpStatusCode.OK);
        var times = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Concat(third.GetProperty("items").EnumerateArray())
            .Select(i => DateTimeOffset.Parse(i.GetProperty("occurred_at").GetString()!)).ToList();
        Assert.Equal(5, times.Count);
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.False(third.TryGetProperty("next_cursor", out _));
    }

    [Fact]
    public async Task Traits_replace_the_previous_ones_and_feed_metric_insights()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await client.Define(new { key = "big_spender", kind = "metric", source = "trait", property = "mrr", @operator = "gte", value = 1000 });
        var first = await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { name = "Acme Corp", plan = "pro", mrr = 2400 })).Json(HttpStatusCode.OK);
        Assert.True(first.InsightActive("big_spender"));
        Assert.Equal("Acme Corp", first.GetProperty("traits").GetProperty("name").GetString());

        var second = await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "starter", mrr = 90 })).Json(HttpStatusCode.OK);
        Assert.False(second.InsightActive("big_spender"));
        Assert.False(second.GetProperty("traits").TryGetProperty("name", out _));

        await (await client.PostRaw("/api/accounts/acme/traits", "[1,2]")).Json(HttpStatusCode.MethodNotAllowed);
        var problem = await (await client.PutAsync("/api/accounts/acme/traits", new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json"))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("must be a JSON object", problem.GetRawText());
    }

    [Fact]
    public async Task Reads_while_events_arrive_always_see_a_whole_committed_state()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var now = factory.Clock.GetUtcNow();
        var start = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddHours(-2);
        await (await client.PostEvents(Event("w0", "busy", "login", start))).Json(HttpStatusCode.Accepted);

        // One writer sends logins one at a time (each a turn); readers poll the account meanwhile.
        const int logins = 150;
        var writing = Task.Run(async () =>
        {
            for (var i = 1; i <= logins; i++)
                await (await client.PostEvents(Event($"w{i}", "busy", "login", start.AddSeconds(i)))).Json(HttpStatusCode.Accepted);
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var seen = new List<DateTimeOffset>();
            while (!writing.IsCompleted)
            {
                var account = await client.Account("busy");
                seen.Add(DateTimeOffset.Parse(account.GetProperty("lifecycle").GetProperty("login").GetString()!));
                await Task.Delay(1); // in-process reads are fast enough to pass the default rate limit (20,000/s)
            }
            return seen;
        })).ToList();
        await writing;

        foreach (var seen in await Task.WhenAll(readers))
        {
            Assert.NotEmpty(seen);
            // Never a state from before one already seen (each read is a committed state, in order).
            Assert.Equal(seen.Order(), seen);
        }
        var final = await client.Account("busy");
        Assert.Equal(start.AddSeconds(logins), DateTimeOffset.Parse(final.GetProperty("lifecycle").GetProperty("login").GetString()!));
    }

    [Fact]
    public async Task An_account_id_with_a_slash_is_reached_with_it_percent_encoded()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await (await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "signed_up" })).Json(HttpStatusCode.OK);
        await (await client.PostEvents(Event("s1", "org/123", "signed_up", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);

        var account = await client.Account("org%2F123");
        Assert.Equal("org/123", account.GetProperty("account_id").GetString());
        var history = await (await client.GetAsync("/api/accounts/org%2f123/history")).Json(HttpStatusCode.OK);
        Assert.Contains("lifecycle.event", history.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("type").GetString()));
        var traits = await (await client.PutAsJsonAsync("/api/accounts/org%2F123/traits", new { plan = "pro" })).Json(HttpStatusCode.OK);
        Assert.Equal("org/123", traits.GetProperty("account_id").GetString());
        Assert.Equal("pro", (await client.Account("org%2F123")).GetProperty("traits").GetProperty("plan").GetString());

        // An id that holds the text "%2F" itself is told apart on a real server (TwoHostTests).
    }

    [Fact]
    public async Task Query_parameters_that_cannot_be_read_or_name_nothing_are_refused_by_name()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await client.Define(new { key = "churn_risk", kind = "event_count", @event = "login", window_days = 14, @operator = "lt", value = 1 });
        await (await client.PostEvents(Event("q1", "acme", "login", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);

        var limit = await (await client.GetAsync("/api/accounts?limit=abc")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("'abc' is not a whole number", limit.GetProperty("errors").GetProperty("limit")[0].GetString());
        var health = await (await client.GetAsync("/api/accounts?health_lt=low&health_gt=1.5")).Json(HttpStatusCode.BadRequest);
        Assert.True(health.GetProperty("errors").TryGetProperty("health_lt", out _));
        Assert.True(health.GetProperty("errors").TryGetProperty("health_gt", out _));
        var insight = await (await client.GetAsync("/api/accounts?insight=churn-risk")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("expected one of churn_risk", insight.GetProperty("errors").GetProperty("insight")[0].GetString());
        var type = await (await client.GetAsync("/api/accounts/acme/history?type=bogus")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("lifecycle.event", type.GetProperty("errors").GetProperty("type")[0].GetString());
        var historyLimit = await (await client.GetAsync("/api/accounts/acme/history?limit=ten")).Json(HttpStatusCode.BadRequest);
        Assert.True(historyLimit.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.DoesNotContain("changed", historyLimit.GetProperty("detail").GetString());

        await (await client.GetAsync("/api/accounts?insight=churn_risk&limit=5")).Json(HttpStatusCode.OK);

        // Parameters the framework binds name themselves too.
        var usage = await (await client.GetAsync("/api/usage?from=bad")).Json(HttpStatusCode.BadRequest);
        Assert.Equal("'bad' is not a valid date (YYYY-MM-DD)", usage.GetProperty("errors").GetProperty("from")[0].GetString());
    }

    [Fact]
    public async Task One_instant_reads_the_same_in_state_and_history()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await (await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "signed_up" })).Json(HttpStatusCode.OK);
        await client.Define(new { key = "tried", kind = "event_count", @event = "signed_up", window_days = 7, @operator = "gte", value = 1 });
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ss") + ".123456789+00:00";
        var body = $$"""[{"event_id":"p1","account_id":"precise","event":"signed_up","timestamp":"{{at}}"}]""";
        await (await client.PostRaw("/api/events", body)).Json(HttpStatusCode.Accepted);

        var account = await client.Account("precise");
        var signedUp = account.GetProperty("lifecycle").GetProperty("signed_up").GetString()!;
        Assert.EndsWith(".123456Z", signedUp);
        var since = account.GetProperty("insights").GetProperty("tried").GetProperty("since").GetString()!;
        var history = (await (await client.GetAsync("/api/accounts/precise/history")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        var lifecycle = history.Single(h => h.GetProperty("type").GetString() == "lifecycle.event");
        Assert.Equal(signedUp, lifecycle.GetProperty("occurred_at").GetString());
        Assert.Equal(signedUp, lifecycle.GetProperty("new_value").GetString());
        Assert.Equal(since, history.Single(h => h.GetProperty("type").GetString() == "insight.triggered").GetProperty("occurred_at").GetString());
    }
}
