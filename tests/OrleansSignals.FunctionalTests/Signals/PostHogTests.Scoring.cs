using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// Scoring of <c>posthog</c> definitions: PostHog is asked for the window ending <c>outcome_days</c> before the cutoff,
/// its answer is stored, and the score is the events source's own statement over the accounts it names.
/// </summary>
public sealed partial class PostHogTests
{
    // Six accounts (a0-a5) matched 35 days ago, 4 of them upgraded since; 14 others (b0-b13), 1 upgraded since.
    // Expected figures, worked out apart from the product (Python's math.erfc for the p-value):
    // lift = (4/6) / (1/14); pooled rate 5/20; z = (4/6 - 1/14) / sqrt(0.25 * 0.75 * (1/6 + 1/14));
    // 95% interval exp(ln lift ± 1.96 sqrt(1/4 - 1/6 + 1/1 - 1/14)).
    private const double ExpectedLift = 9.333333333333334, ExpectedZ = 2.817180849095055, ExpectedP = 0.004844723739299842;
    private const double ExpectedLiftLow = 1.2994746558497186, ExpectedLiftHigh = 67.03563683906535;

    private static readonly string[] Matched = ["a0", "a1", "a2", "a3", "a4", "a5"];

    /// <summary>
    /// A workspace with PostHog, the outcome <c>upgraded</c> within 30 days (min support 5), and in our store: a0-a5 with
    /// 3 <c>used</c> events 35 days ago (the window that ended 30 days before the cutoff), b0 with one; upgrades 10
    /// days ago for a0-a3 and b1; b2 upgraded 40 days ago (before the outcome window: not a conversion).
    /// </summary>
    private async Task<(HttpClient Client, string Workspace)> ScoredWorkspaceAsync()
    {
        var (client, workspace) = await WorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        var events = new List<object>();
        foreach (var a in Matched)
            for (var i = 0; i < 3; i++) events.Add(Event($"{a}-u{i}", a, "used", now.AddDays(-35).AddHours(i)));
        for (var b = 0; b < 14; b++) events.Add(Event($"b{b}-l", $"b{b}", b == 0 ? "used" : "login", now.AddDays(-35)));
        foreach (var converted in new[] { "a0", "a1", "a2", "a3", "b1" }) events.Add(Event($"{converted}-up", converted, "upgraded", now.AddDays(-10)));
        events.Add(Event("b2-up", "b2", "upgraded", now.AddDays(-40)));
        await (await client.PostEvents([.. events])).Json(HttpStatusCode.Accepted);
        await Eventually(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", workspace) == 20,
            because: "the accounts are stored");
        await (await client.PutAsJsonAsync("/api/signals/scoring", new { outcome_event = "upgraded", outcome_days = 30, min_support = 5 })).Json(HttpStatusCode.OK);
        return (client, workspace);
    }

    /// <summary>PostHog's rows for an event: <paramref name="earlier"/> for a window that ended over a day ago (the scored one), else <paramref name="recent"/>.</summary>
    private void PostHogHolds(string eventName, JsonArray earlier, JsonArray recent) =>
        PostHog.WindowedCounts[eventName] = (_, end) => end < DateTime.UtcNow.AddDays(-1) ? earlier : recent;

    private static JsonArray MatchedAccounts() => Rows([.. Matched.Select(a => (a, "", 3))]);

    private static async Task<Dictionary<string, JsonElement>> Scores(HttpClient client) =>
        (await (await client.GetAsync("/api/signals/aggregates")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
        .ToDictionary(a => a.GetProperty("type").GetString()!);

    private static void AssertExpectedScore(JsonElement score)
    {
        Assert.False(score.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String, score.ToString());
        Assert.Equal(6, score.GetProperty("matched").GetInt32());
        Assert.Equal(4, score.GetProperty("matched_converted").GetInt32());
        Assert.Equal(14, score.GetProperty("rest").GetInt32());
        Assert.Equal(1, score.GetProperty("rest_converted").GetInt32());
        Assert.Equal(ExpectedLift, score.GetProperty("lift").GetDouble(), 9);
        Assert.Equal(ExpectedLiftLow, score.GetProperty("lift_low").GetDouble(), 6);
        Assert.Equal(ExpectedLiftHigh, score.GetProperty("lift_high").GetDouble(), 6);
        Assert.Equal(ExpectedZ, score.GetProperty("z").GetDouble(), 9);
        // The product's normal CDF is an approximation (error below 1.5e-7).
        Assert.Equal(ExpectedP, score.GetProperty("p_value").GetDouble(), 6);
    }

    /// <summary>The queries asked for an event's counts since <paramref name="asked"/>, first pages only (6 rows take two pages of 4).</summary>
    private List<FakePostHog.Query> CountQueries(int asked, string eventName) =>
        [.. PostHog.Queries.Skip(asked).Where(q => q.Values["event_name"]?.GetValue<string>() == eventName && q.Text.TrimEnd().EndsWith("OFFSET 0", StringComparison.Ordinal))];

    private static string ClickHouseTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_posthog_definition_is_scored_over_the_window_outcome_days_earlier_as_the_same_matches_score_from_our_events()
    {
        var (client, workspace) = await ScoredWorkspaceAsync();
        // What PostHog holds: the six accounts over the scored window, b13 alone over the run's own window.
        PostHogHolds("ph_used_twin", MatchedAccounts(), Rows(("b13", "", 5)));
        // Person level: a0's two persons count a0 once; a row without an account (PostHog's query leaves those out) counts nothing.
        PostHogHolds("ph_used_people", Rows(("a0", "ann", 3), ("a0", "bob", 4), ("a1", "cat", 3), ("a2", "dan", 3), ("a3", "eve", 3), ("a4", "fay", 3),
            ("a5", "gus", 3), ("", "nobody", 9)), Rows());
        await client.DefineSignal(new { type = "ev_twin", event_name = "used", condition_operator = "gte", condition_value = 3, time_window_days = 7 });
        await client.DefineSignal(new { type = "ph_twin", source = "posthog", event_name = "ph_used_twin", condition_operator = "gte", condition_value = 3, time_window_days = 7 });
        await client.DefineSignal(new
        {
            type = "ph_people", source = "posthog", event_name = "ph_used_people", condition_operator = "gte", condition_value = 3, time_window_days = 7, level = "person",
        });
        var asked = PostHog.Queries.Count;

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var counts = run.Step("score").GetProperty("counts");
        Assert.Equal(3, counts.GetProperty("scored").GetInt32());
        Assert.Equal(0, counts.GetProperty("failed").GetInt32());

        // The same figures whichever source named the matched accounts, and the ones worked out above.
        var scores = await Scores(client);
        AssertExpectedScore(scores["ev_twin"]);
        AssertExpectedScore(scores["ph_twin"]);
        AssertExpectedScore(scores["ph_people"]);
        Assert.All(scores.Values, s => Assert.False(s.GetProperty("promoted").GetBoolean()));
        var history = (await (await client.GetAsync("/api/signals/aggregates?type=ph_twin")).Json(HttpStatusCode.OK)).GetProperty("items");
        AssertExpectedScore(Assert.Single(history.EnumerateArray()));

        // Two queries each: evaluate's over the run's window, score's over the 7 days that ended 30 days before the cutoff.
        var asOf = run.GetProperty("as_of").GetDateTimeOffset();
        var twin = CountQueries(asked, "ph_used_twin");
        Assert.Equal(2, twin.Count);
        Assert.Equal(ClickHouseTime(asOf), twin[0].Values["window_end"]!.GetValue<string>());
        Assert.Equal(ClickHouseTime(asOf.AddDays(-30)), twin[1].Values["window_end"]!.GetValue<string>());
        Assert.Equal(ClickHouseTime(asOf.AddDays(-37)), twin[1].Values["window_start"]!.GetValue<string>());
        Assert.Equal(3, twin[1].Values["condition_value"]!.GetValue<double>());
        Assert.Contains("HAVING n >= {condition_value}", twin[1].Text);
        Assert.Equal(2, CountQueries(asked, "ph_used_people").Count);

        // Both answers are kept, each with the step that asked; the occurrences come from evaluate's.
        Assert.Equal(ClickHouseTime(asOf.AddDays(-30)), await factory.Database.ScalarAsync<string>(
            "SELECT query_values->>'window_end' FROM posthog_results WHERE workspace_id = $1 AND type = 'ph_twin' AND step = 'score'", workspace));
        Assert.Equal(6, await factory.Database.ScalarAsync<int>(
            "SELECT jsonb_array_length(results) FROM posthog_results WHERE workspace_id = $1 AND type = 'ph_twin' AND step = 'score'", workspace));
        Assert.Equal(["ph_twin:b13"], (await client.Signals()).Select(s => $"{s.GetProperty("type").GetString()}:{s.GetProperty("account_id").GetString()}").ToArray());
    }

    [Fact]
    public async Task An_agent_posthog_candidate_that_converts_significantly_better_is_promoted_and_one_that_does_not_stays_a_candidate()
    {
        var (client, workspace) = await ScoredWorkspaceAsync();
        PostHogHolds("ph_used_candidate", MatchedAccounts(), MatchedAccounts());
        // b0-b6 (b1 upgraded): 1 of 7 against 4 of the other 13.
        PostHogHolds("ph_used_flat", Rows([.. Enumerable.Range(0, 7).Select(i => ($"b{i}", "", 2))]), Rows());
        foreach (var (type, eventName) in new[] { ("ph_candidate", "ph_used_candidate"), ("ph_flat", "ph_used_flat") })
            await (await client.PostAsJsonAsync("/api/signals/candidates",
                new { type, source = "posthog", event_name = eventName, condition_operator = "gte", condition_value = 1, time_window_days = 7 })).Json(HttpStatusCode.Created);
        var asked = PostHog.Queries.Count;

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.Step("score").GetProperty("counts").GetProperty("promoted").GetInt32());
        // Candidates are scored, not evaluated: one query each, for the scored window.
        Assert.Single(CountQueries(asked, "ph_used_candidate"));
        Assert.Empty(await client.Signals());

        var candidate = Assert.Single((await (await client.GetAsync("/api/signals/aggregates?type=ph_candidate")).Json(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        AssertExpectedScore(candidate);
        Assert.True(candidate.GetProperty("promoted").GetBoolean());
        var promoted = await (await client.GetAsync("/api/signals/definitions/ph_candidate")).Json(HttpStatusCode.OK);
        Assert.True(promoted.GetProperty("is_active").GetBoolean());
        Assert.Equal("agent", promoted.GetProperty("origin").GetString());
        Assert.Equal(ExpectedP, await factory.Database.ScalarAsync<double>(
            "SELECT p_value FROM signal_promotions WHERE workspace_id = $1 AND type = 'ph_candidate'", workspace), 6);

        var flat = (await Scores(client))["ph_flat"];
        Assert.Equal(7, flat.GetProperty("matched").GetInt32());
        Assert.Equal(1, flat.GetProperty("matched_converted").GetInt32());
        Assert.Equal(4, flat.GetProperty("rest_converted").GetInt32());
        Assert.True(flat.GetProperty("lift").GetDouble() < 1);
        Assert.False(flat.GetProperty("promoted").GetBoolean());
        Assert.False((await (await client.GetAsync("/api/signals/definitions/ph_flat")).Json(HttpStatusCode.OK)).GetProperty("is_active").GetBoolean());
    }

    [Fact]
    public async Task PostHog_down_at_score_time_fails_those_scores_with_the_error_and_the_others_are_scored()
    {
        var (client, _) = await ScoredWorkspaceAsync();
        PostHogHolds("ph_used_down", MatchedAccounts(), Rows());
        await client.DefineSignal(new { type = "ev_twin", event_name = "used", condition_operator = "gte", condition_value = 3, time_window_days = 7 });
        await client.DefineSignal(new { type = "ph_down", source = "posthog", event_name = "ph_used_down", condition_operator = "gte", condition_value = 3, time_window_days = 7 });
        await (await client.PostAsJsonAsync("/api/signals/candidates",
            new { type = "ph_down_candidate", source = "posthog", event_name = "ph_used_down", condition_operator = "gte", condition_value = 3, time_window_days = 7 }))
            .Json(HttpStatusCode.Created);

        var run = await RunWhilePostHogIsDownAsync(client);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var counts = run.Step("score").GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("failed").GetInt32());
        Assert.Equal(1, counts.GetProperty("scored").GetInt32());
        var scores = await Scores(client);
        foreach (var type in new[] { "ph_down", "ph_down_candidate" })
        {
            Assert.Contains("503", scores[type].GetProperty("error").GetString());
            Assert.Contains("3 times", scores[type].GetProperty("error").GetString());
        }
        AssertExpectedScore(scores["ev_twin"]);

        // PostHog back: the next run scores them.
        var next = await client.RunPipeline();
        Assert.Equal(0, next.Step("score").GetProperty("counts").GetProperty("failed").GetInt32());
        scores = await Scores(client);
        AssertExpectedScore(scores["ph_down"]);
        AssertExpectedScore(scores["ph_down_candidate"]);
    }

    [Fact]
    public async Task A_run_resumed_inside_the_score_step_does_not_ask_PostHog_again_for_a_definition_already_scored()
    {
        var (client, workspace) = await ScoredWorkspaceAsync();
        PostHogHolds("ph_used_resume_a", MatchedAccounts(), Rows());
        PostHogHolds("ph_used_resume_b", MatchedAccounts(), Rows());
        foreach (var (type, eventName) in new[] { ("ph_resume_a", "ph_used_resume_a"), ("ph_resume_b", "ph_used_resume_b") })
            await (await client.PostAsJsonAsync("/api/signals/candidates",
                new { type, source = "posthog", event_name = eventName, condition_operator = "gte", condition_value = 3, time_window_days = 7 })).Json(HttpStatusCode.Created);
        // The database refuses ph_resume_b's first two score rows (its score, then its failure): the run stops on an
        // unexpected error after ph_resume_a was scored, and is resumed (a sequence counts across the rolled-back attempts).
        await factory.Database.ScalarAsync<int>("CREATE SEQUENCE test_refuse_resume_b; SELECT 1");
        await factory.Database.ScalarAsync<int>("""
            CREATE FUNCTION test_refuse_resume_b() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.type = 'ph_resume_b' THEN
                    IF nextval('test_refuse_resume_b') <= 2 THEN RAISE EXCEPTION 'test: the database went away'; END IF;
                END IF;
                RETURN NEW;
            END $$; SELECT 1
            """);
        await factory.Database.ScalarAsync<int>(
            "CREATE TRIGGER test_refuse_resume_b BEFORE INSERT ON signal_aggregates FOR EACH ROW EXECUTE FUNCTION test_refuse_resume_b(); SELECT 1");
        var asked = PostHog.Queries.Count;
        JsonElement run;
        try
        {
            run = await client.RunPipeline();
        }
        finally
        {
            await factory.Database.ScalarAsync<int>("DROP TRIGGER test_refuse_resume_b ON signal_aggregates; DROP FUNCTION test_refuse_resume_b(); DROP SEQUENCE test_refuse_resume_b; SELECT 1");
        }
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(2, await factory.Database.ScalarAsync<int>("SELECT attempts FROM pipeline_runs WHERE id = $1", Guid.Parse(run.GetProperty("id").GetString()!)));
        Assert.Single(CountQueries(asked, "ph_used_resume_a"));
        Assert.Equal(2, CountQueries(asked, "ph_used_resume_b").Count);
        Assert.Equal(2, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM posthog_results WHERE workspace_id = $1 AND step = 'score'", workspace));
        var scores = await Scores(client);
        AssertExpectedScore(scores["ph_resume_a"]);
        AssertExpectedScore(scores["ph_resume_b"]);
    }
}
