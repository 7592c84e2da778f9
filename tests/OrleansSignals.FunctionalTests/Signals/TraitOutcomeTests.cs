using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSignals.Signals.Notify;
using OrleansSignals.Signals.Pipeline;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// A scoring outcome that is a trait reaching a value, set through the real traits API. Its own host: the test moves the
/// host's clock a month on, so that some traits change before the outcome window and some inside it.
/// </summary>
public sealed class TraitOutcomeTests(PipelineFactory factory) : IClassFixture<PipelineFactory>
{
    private Task<HttpResponseMessage> Patch(HttpClient client, string account, object traits) =>
        client.PatchAsync($"/api/accounts/{account}/traits", JsonContent.Create(traits));

    private Task<long> ChangesAsync(string workspace, string account, string name) =>
        factory.Database.ScalarAsync<long>("SELECT count(*) FROM trait_changes WHERE workspace_id = $1 AND account_id = $2 AND name = $3", workspace, account, name);

    [Fact]
    public async Task A_trait_reached_inside_the_outcome_window_converts_one_reached_before_it_or_never_does_not()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await client.NoSchedule();
        var t0 = factory.Clock.GetUtcNow();
        // m0-m5 export (the signal matches them), r0-r5 only log in (the rest).
        var events = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            Event($"e{i}", $"m{i}", "export", t0.AddHours(-1)),
            Event($"l{i}", $"r{i}", "login", t0.AddHours(-1)),
        }).ToArray();
        await (await client.PostEvents(events)).Json(HttpStatusCode.Accepted);
        await Eventually(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", workspace) == 12,
            because: "the accounts are stored");

        // A month before the run: before the outcome window.
        await (await client.PutAsJsonAsync("/api/accounts/m0/traits", new { plan = "enterprise", mrr = 2000 })).Json(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync("/api/accounts/m1/traits", new { plan = "pro", mrr = 500 })).Json(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync("/api/accounts/r0/traits", new { plan = "enterprise" })).Json(HttpStatusCode.OK);
        // The traits turn is durable when the API answers: its changes are there at once, one per trait.
        Assert.Equal(1, await ChangesAsync(workspace, "m0", "plan"));
        Assert.Equal(1, await ChangesAsync(workspace, "m0", "mrr"));

        // The accounts come back from their checkpoints: what a change is, is judged against the stored traits.
        await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        factory.Clock.Advance(TimeSpan.FromDays(31));
        // Inside the outcome window (the 30 days before the run).
        await (await Patch(client, "m1", new { plan = "enterprise", mrr = 1500 })).Json(HttpStatusCode.OK); // pro -> enterprise; 500 -> 1500
        await (await client.PutAsJsonAsync("/api/accounts/m2/traits", new { plan = "enterprise", mrr = 999 })).Json(HttpStatusCode.OK);
        await (await Patch(client, "m0", new { plan = "enterprise", mrr = 3000 })).Json(HttpStatusCode.OK); // plan unchanged; mrr was >= 1000 already
        await (await client.PutAsJsonAsync("/api/accounts/m3/traits", new { plan = "starter" })).Json(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync("/api/accounts/r0/traits", new { plan = "enterprise" })).Json(HttpStatusCode.OK); // the same again
        await (await client.PutAsJsonAsync("/api/accounts/r1/traits", new { plan = "enterprise", mrr = "1500" })).Json(HttpStatusCode.OK); // mrr not a number
        await (await client.PutAsJsonAsync("/api/accounts/r2/traits", new { plan = "Enterprise" })).Json(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync("/api/accounts/r3/traits", new { mrr = 1000 })).Json(HttpStatusCode.OK);

        // Setting a value a trait already has records nothing.
        Assert.Equal(1, await ChangesAsync(workspace, "m0", "plan"));
        Assert.Equal(2, await ChangesAsync(workspace, "m0", "mrr"));
        Assert.Equal(1, await ChangesAsync(workspace, "r0", "plan"));
        Assert.Equal(2, await ChangesAsync(workspace, "m1", "plan"));

        await (await client.PutAsJsonAsync("/api/signals/scoring",
            new { outcome_trait = new { name = "plan", equals = "enterprise" }, outcome_days = 30, min_support = 1 })).Json(HttpStatusCode.OK);
        await client.DefineSignal(new { type = "exporter", event_name = "export", condition_operator = "gte", condition_value = 1, time_window_days = 7 });

        // plan = enterprise: matched m0-m5, of which m1 and m2 reached it in the window (m0 before it); rest r0-r5, r1 only.
        var plan = await ScoreAsync(client);
        Assert.Equal((6, 2, 6, 1), Figures(plan));
        Assert.Equal(2.0, plan.GetProperty("lift").GetDouble(), 6);
        Assert.Equal("plan = enterprise within 30 days", plan.GetProperty("outcome").GetString());
        Assert.Equal("enterprise", plan.GetProperty("outcome_trait").GetProperty("equals").GetString());
        Assert.False(plan.TryGetProperty("outcome_event", out _));
        Assert.Equal("conversion 33.3% of 6 matched accounts (first score); outcome: plan = enterprise within 30 days", await DigestLineAsync(workspace));

        // mrr >= 1000: m1 (500 -> 1500) converts, m0 (2000 -> 3000, already there) and m2 (999) do not; r3 (1000) does, r1's "1500" is no number.
        await (await client.PutAsJsonAsync("/api/signals/scoring",
            new { outcome_trait = new { name = "mrr", gte = 1000 }, outcome_days = 30, min_support = 1 })).Json(HttpStatusCode.OK);
        var mrr = await ScoreAsync(client);
        Assert.Equal((6, 1, 6, 1), Figures(mrr));
        Assert.Equal("mrr >= 1000 within 30 days", mrr.GetProperty("outcome").GetString());
        Assert.Equal("conversion 16.7% of 6 matched accounts (outcome changed since last run); outcome: mrr >= 1000 within 30 days", await DigestLineAsync(workspace));
    }

    [Fact]
    public async Task A_scoring_body_with_both_outcomes_neither_or_a_bad_trait_is_refused_naming_the_field_and_stores_nothing()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        async Task Refused(string body, string field)
        {
            var problem = await (await client.PutAsync("/api/signals/scoring", new StringContent(body, Encoding.UTF8, "application/json"))).Json(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body} names {field}: {problem}");
        }

        await Refused("""{"outcome_event": "upgraded", "outcome_trait": {"name": "plan", "equals": "enterprise"}}""", "outcome_trait");
        await Refused("""{"outcome_days": 30}""", "outcome_event");
        await Refused("""{"outcome_trait": {"name": "plan", "contains": "ent"}}""", "outcome_trait.contains");
        await Refused("""{"outcome_trait": {"name": "plan"}}""", "outcome_trait");
        await Refused("""{"outcome_trait": {"name": "mrr", "gte": 1, "lte": 5}}""", "outcome_trait");
        await Refused("""{"outcome_trait": {"equals": "enterprise"}}""", "outcome_trait.name");
        await Refused("""{"outcome_trait": {"name": "mrr", "gte": "1000"}}""", "outcome_trait.gte");
        await Refused("""{"outcome_trait": {"name": "plan", "equals": {"tier": 1}}}""", "outcome_trait.equals");
        await Refused("""{"outcome_trait": "plan"}""", "outcome_trait");
        await (await client.GetAsync("/api/signals/scoring")).Json(HttpStatusCode.NotFound);

        var set = await (await client.PutAsJsonAsync("/api/signals/scoring", new { outcome_trait = new { name = "seats", lte = 5 } })).Json(HttpStatusCode.OK);
        Assert.Equal(5, set.GetProperty("outcome_trait").GetProperty("lte").GetDouble());
        await Refused("""{"outcome_event": "upgraded", "outcome_trait": {"name": "plan", "equals": true}}""", "outcome_trait");
        var kept = await (await client.GetAsync("/api/signals/scoring")).Json(HttpStatusCode.OK);
        Assert.Equal("seats", kept.GetProperty("outcome_trait").GetProperty("name").GetString());
        Assert.False(kept.TryGetProperty("outcome_event", out _));
        Assert.Equal(30, kept.GetProperty("outcome_days").GetInt32());
    }

    private static async Task<JsonElement> ScoreAsync(HttpClient client)
    {
        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var aggregates = await (await client.GetAsync("/api/signals/aggregates?type=exporter")).Json(HttpStatusCode.OK);
        return aggregates.GetProperty("items")[0];
    }

    private static (int, int, int, int) Figures(JsonElement a) =>
        (a.GetProperty("matched").GetInt32(), a.GetProperty("matched_converted").GetInt32(), a.GetProperty("rest").GetInt32(), a.GetProperty("rest_converted").GetInt32());

    /// <summary>The "Conversion since the last run" line the latest run's digest mail has for the signal.</summary>
    private async Task<string> DigestLineAsync(string workspace)
    {
        var run = (await factory.Services.GetRequiredService<PipelineRunStore>().LatestAsync(workspace, CancellationToken.None))!;
        var digest = await factory.Services.GetRequiredService<DigestQueries>().BuildAsync(run, CancellationToken.None);
        return DigestMessage.ConversionLine(Assert.Single(digest.Conversions));
    }
}
