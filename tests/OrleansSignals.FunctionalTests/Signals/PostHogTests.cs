using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// The PostHog parts of the pipeline against a <see cref="FakePostHog"/>: the integration, <c>posthog</c> definitions
/// (one HogQL query each, values as placeholders, paged, failures recorded while the rest run) and
/// <c>posthog_cohort</c> deliveries (persons resolved and added in batches).
/// </summary>
public sealed partial class PostHogTests(PipelineFactory factory) : IClassFixture<PipelineFactory>
{
    private FakePostHog PostHog => factory.PostHog;

    private async Task<(HttpClient Client, string Workspace)> WorkspaceAsync(bool withPostHog = true, object? mapping = null)
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await client.NoSchedule();
        if (withPostHog)
        {
            var body = JsonSerializer.SerializeToNode(new { host = PostHog.BaseUrl, project_id = FakePostHog.ProjectId, api_key = FakePostHog.Token })!.AsObject();
            if (mapping is not null) foreach (var (k, v) in JsonSerializer.SerializeToNode(mapping)!.AsObject()) body[k] = v?.DeepClone();
            await (await client.PutAsJsonAsync("/api/integrations/posthog", body)).Json(HttpStatusCode.OK);
        }
        return (client, workspace);
    }

    private static JsonArray Rows(params (string Account, string DistinctId, int N)[] rows) =>
        [.. rows.Select(r => (JsonNode)new JsonArray(r.Account, r.DistinctId, r.N))];

    private static Dictionary<string, JsonElement> Outcomes(JsonElement run) =>
        run.GetProperty("definitions").EnumerateArray().ToDictionary(d => d.GetProperty("type").GetString()!);

    [Fact]
    public async Task A_posthog_definition_stores_what_its_HogQL_query_matched_once_per_window_and_a_rerun_stores_nothing_new()
    {
        var (client, workspace) = await WorkspaceAsync();
        PostHog.Counts["ph_export"] = Rows(("acme.com", "", 5), ("beta.io", "", 3));
        await client.DefineSignal(new { type = "ph_power", source = "posthog", event_name = "ph_export", condition_operator = "gte", condition_value = 3, time_window_days = 7 });
        var asked = PostHog.Queries.Count;

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal("completed", Outcomes(run)["ph_power"].GetProperty("status").GetString());
        var signals = await client.Signals();
        Assert.Equal(["acme.com:5", "beta.io:3"], signals.Select(s => $"{s.GetProperty("account_id").GetString()}:{s.GetProperty("value").GetDouble()}").Order().ToArray());
        Assert.All(signals, s => Assert.False(s.TryGetProperty("person_id", out var p) && p.ValueKind == JsonValueKind.String));

        // The query is the HogQL intended: counts per group key over the window, the condition as HAVING, every value a placeholder.
        var query = PostHog.Queries.Skip(asked).First();
        Assert.Contains("SELECT toString($group_0) AS account_id, '' AS subject_distinct_id, count() AS n", query.Text);
        Assert.Contains("FROM events", query.Text);
        Assert.Contains("WHERE event = {event_name} AND timestamp >= toDateTime({window_start}, 'UTC') AND timestamp < toDateTime({window_end}, 'UTC')", query.Text);
        Assert.Contains("HAVING n >= {condition_value}", query.Text);
        Assert.Contains("LIMIT 4 OFFSET 0", query.Text);
        Assert.Equal("ph_export", query.Values["event_name"]!.GetValue<string>());
        Assert.Equal(3, query.Values["condition_value"]!.GetValue<double>());
        var start = DateTime.ParseExact(query.Values["window_start"]!.GetValue<string>(), "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTime.ParseExact(query.Values["window_end"]!.GetValue<string>(), "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromDays(7), end - start);
        // What PostHog answered is kept as it came.
        Assert.Equal(2, await factory.Database.ScalarAsync<int>(
            "SELECT jsonb_array_length(results) FROM posthog_results WHERE workspace_id = $1 AND type = 'ph_power' AND step = 'evaluate'", workspace));

        // Without an outcome configured the score counts the run's own window: evaluate's answer is read again, PostHog not asked twice.
        var score = (await (await client.GetAsync("/api/signals/aggregates")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("type").GetString() == "ph_power");
        Assert.Equal(2, score.GetProperty("matched").GetInt32());
        Assert.False(score.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String, score.ToString());
        Assert.Equal(asked + 1, PostHog.Queries.Count);

        var rerun = await client.RunPipeline();
        Assert.Equal(0, rerun.Step("evaluate").GetProperty("counts").GetProperty("occurrences").GetInt32());
        Assert.Equal(2, Outcomes(rerun)["ph_power"].GetProperty("matched").GetInt32());
        Assert.Equal(2, (await client.Signals()).Count);
    }

    [Fact]
    public async Task A_condition_zero_events_meet_asks_for_every_count_and_matches_the_accounts_PostHog_saw_too_little_or_never()
    {
        var (client, workspace) = await WorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("z1", "busy.com", "login", now.AddHours(-1)), Event("z2", "calm.com", "login", now.AddHours(-1)),
            Event("z3", "idle.com", "login", now.AddHours(-1)))).Json(HttpStatusCode.Accepted);
        await Eventually(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", workspace) == 3,
            because: "the accounts are stored");
        PostHog.Counts["ph_seldom"] = Rows(("busy.com", "", 9), ("calm.com", "", 1));
        await client.DefineSignal(new { type = "ph_quiet", source = "posthog", event_name = "ph_seldom", condition_operator = "lt", condition_value = 2, time_window_days = 7 });
        var asked = PostHog.Queries.Count;

        var run = await client.RunPipeline();
        Assert.Equal("completed", Outcomes(run)["ph_quiet"].GetProperty("status").GetString());
        var query = PostHog.Queries.Skip(asked).First();
        Assert.DoesNotContain("HAVING", query.Text);
        Assert.False(query.Values.ContainsKey("condition_value"));
        Assert.Equal(["calm.com:1", "idle.com:0"], (await client.Signals())
            .Select(s => $"{s.GetProperty("account_id").GetString()}:{s.GetProperty("value").GetDouble()}").Order().ToArray());
    }

    [Fact]
    public async Task User_text_travels_as_placeholder_values_and_an_account_property_that_is_not_a_plain_name_is_refused()
    {
        var sneaky = "x' OR 1=1) --";
        var refused = await (await (await factory.CreateWorkspaceAsync()).Client.PutAsJsonAsync("/api/integrations/posthog",
            new { host = PostHog.BaseUrl, project_id = FakePostHog.ProjectId, api_key = FakePostHog.Token, account_property = "id) OR 1=1 --" })).Json(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("account_property", out _), refused.ToString());

        var (client, _) = await WorkspaceAsync(mapping: new { account_property = "company_id" });
        PostHog.Counts[sneaky] = Rows(("acme.com", "ann", 2));
        await client.DefineSignal(new { type = "ph_sneaky", source = "posthog", event_name = sneaky, condition_operator = "gt", condition_value = 1, time_window_days = 3, level = "person" });
        var asked = PostHog.Queries.Count;

        var run = await client.RunPipeline();
        Assert.Equal("completed", Outcomes(run)["ph_sneaky"].GetProperty("status").GetString());
        var query = PostHog.Queries.Skip(asked).First();
        Assert.DoesNotContain("1=1", query.Text);
        Assert.Equal(sneaky, query.Values["event_name"]!.GetValue<string>());
        Assert.Contains("SELECT toString(person.properties.company_id) AS account_id, distinct_id AS subject_distinct_id", query.Text);
        Assert.Contains("HAVING n > {condition_value}", query.Text);
        var signal = Assert.Single(await client.Signals());
        Assert.Equal("ann", signal.GetProperty("person_id").GetString());
        Assert.Equal("acme.com", signal.GetProperty("account_id").GetString());
    }

    [Fact]
    public async Task PostHog_down_a_bad_query_or_a_timeout_fails_that_definition_with_its_error_and_the_events_definitions_still_run()
    {
        var (client, _) = await WorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("l1", "local.com", "login", now.AddHours(-1)))).Json(HttpStatusCode.Accepted);
        await client.DefineSignal(new { type = "local_login", event_name = "login", condition_operator = "gte", condition_value = 1, time_window_days = 7 });
        await client.DefineSignal(new { type = "ph_down", source = "posthog", event_name = "anything", condition_operator = "gte", condition_value = 1, time_window_days = 7 });

        var run = await RunWhilePostHogIsDownAsync(client);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var outcomes = Outcomes(run);
        Assert.Equal("failed", outcomes["ph_down"].GetProperty("status").GetString());
        Assert.Contains("503", outcomes["ph_down"].GetProperty("error").GetString());
        Assert.Contains("3 times", outcomes["ph_down"].GetProperty("error").GetString());
        Assert.Equal("completed", outcomes["local_login"].GetProperty("status").GetString());
        Assert.Equal("local_login", Assert.Single(await client.Signals()).GetProperty("type").GetString());

        PostHog.BadQueries.Enqueue("Unable to resolve field: $group_0");
        var bad = await client.RunPipeline();
        Assert.Equal("failed", Outcomes(bad)["ph_down"].GetProperty("status").GetString());
        Assert.Contains("Unable to resolve field: $group_0", Outcomes(bad)["ph_down"].GetProperty("error").GetString());

        Interlocked.Exchange(ref PostHog.HangingQueries, 1);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var slow = await client.RunPipeline();
        Assert.Equal("completed", slow.GetProperty("status").GetString());
        Assert.Equal("failed", Outcomes(slow)["ph_down"].GetProperty("status").GetString());
        Assert.Contains("within 2 s", Outcomes(slow)["ph_down"].GetProperty("error").GetString());
        Assert.Equal("completed", Outcomes(slow)["local_login"].GetProperty("status").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the run waited {watch.Elapsed} on a hanging query");
    }

    [Fact]
    public async Task A_429_is_waited_out_as_its_Retry_After_says_and_the_query_then_succeeds()
    {
        var (client, _) = await WorkspaceAsync();
        PostHog.Counts["ph_throttled"] = Rows(("retry.com", "", 1));
        await client.DefineSignal(new { type = "ph_retry", source = "posthog", event_name = "ph_throttled", condition_operator = "gte", condition_value = 1, time_window_days = 1 });
        var arrived = PostHog.Arrivals.Count;
        PostHog.Failures.Enqueue(429);

        var run = await client.RunPipeline();
        Assert.Equal("completed", Outcomes(run)["ph_retry"].GetProperty("status").GetString());
        Assert.Equal("retry.com", Assert.Single(await client.Signals()).GetProperty("account_id").GetString());
        // The throttled query was asked again a Retry-After (1 s) later, not at once.
        var queries = PostHog.Arrivals.Skip(arrived).Where(a => a.Path.EndsWith("/query/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, queries.Count);
        Assert.True(queries[1].At - queries[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {queries[1].At - queries[0].At}");
        Assert.Empty(PostHog.Failures);
    }

    [Fact]
    public async Task Cohort_delivery_adds_person_level_occurrences_in_batches_and_says_per_occurrence_what_happened()
    {
        var (client, _) = await WorkspaceAsync();
        PostHog.Cohorts[7] = new();
        foreach (var id in new[] { "ann", "bob", "cat", "dan", "eve" }) PostHog.Persons[id] = Guid.NewGuid().ToString();
        // Six persons: more than a page (4 rows), so two queries; one distinct id PostHog has no person for.
        PostHog.Counts["ph_active"] = Rows(("acme.com", "ann", 4), ("acme.com", "bob", 3), ("beta.io", "cat", 5), ("beta.io", "dan", 3),
            ("gamma.io", "eve", 9), ("gamma.io", "ghost", 3));
        PostHog.Counts["ph_team"] = Rows(("acme.com", "", 7));
        await client.DefineSignal(new { type = "ph_people", source = "posthog", event_name = "ph_active", condition_operator = "gte", condition_value = 3, time_window_days = 7, level = "person" });
        await client.DefineSignal(new { type = "ph_accounts", source = "posthog", event_name = "ph_team", condition_operator = "gte", condition_value = 3, time_window_days = 7 });
        foreach (var type in new[] { "ph_people", "ph_accounts" })
            await (await client.PostAsJsonAsync("/api/signals/delivery-configs",
                new { signal_type = type, destination_type = "posthog_cohort", destination_config = new { cohort_id = 7 } })).Json(HttpStatusCode.Created);
        var asked = PostHog.Queries.Count;
        var patches = PostHog.CohortRequests.Count;

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(6, Outcomes(run)["ph_people"].GetProperty("stored").GetInt32());
        var counts = run.Step("deliver").GetProperty("counts");
        Assert.Equal(5, counts.GetProperty("delivered").GetInt32());
        Assert.Equal(2, counts.GetProperty("failed").GetInt32());

        Assert.Equal(PostHog.Persons.Values.Order(), PostHog.Cohorts[7].Keys.Order());
        // Batches of 2 persons (Signals:PostHog:CohortBatchSize): 3 lookups and 3 additions (the last has eve only: ghost has no person).
        var requests = PostHog.CohortRequests.Skip(patches).ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.InRange(r.Length, 1, 2));
        var queries = PostHog.Queries.Skip(asked).ToList();
        Assert.Equal(3, queries.Count(q => q.Text.Contains("FROM person_distinct_ids", StringComparison.Ordinal)));
        Assert.Equal(2, queries.Count(q => q.Values["event_name"]?.GetValue<string>() == "ph_active"));

        var byPerson = (await client.Signals()).ToDictionary(s => s.TryGetProperty("person_id", out var p) ? p.GetString()! : "(account)");
        async Task<JsonElement> Delivery(string person) => Assert.Single((await (await client.GetAsync(
            $"/api/signals/{byPerson[person].GetProperty("id").GetString()}/deliveries")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var ann = await Delivery("ann");
        Assert.Equal("delivered", ann.GetProperty("status").GetString());
        Assert.Equal("posthog cohort 7", ann.GetProperty("destination").GetString());
        var ghost = await Delivery("ghost");
        Assert.Equal("failed", ghost.GetProperty("status").GetString());
        Assert.Contains("no person with distinct_id 'ghost'", ghost.GetProperty("error").GetString());
        var account = await Delivery("(account)");
        Assert.Equal("failed", account.GetProperty("status").GetString());
        Assert.Contains("account-level", account.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Without_PostHog_a_posthog_definition_fails_saying_not_configured_and_a_cohort_delivery_is_skipped_saying_so()
    {
        var (client, _) = await WorkspaceAsync(withPostHog: false);
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(new { event_id = "n1", account_id = "nopos.com", person_id = "zoe", @event = "login", timestamp = Iso(now.AddHours(-1)) }))
            .Json(HttpStatusCode.Accepted);
        await client.DefineSignal(new { type = "ph_nothing", source = "posthog", event_name = "x", condition_operator = "gte", condition_value = 1, time_window_days = 7 });
        await client.DefineSignal(new { type = "people_login", event_name = "login", condition_operator = "gte", condition_value = 1, time_window_days = 7, level = "person" });
        await (await client.PostAsJsonAsync("/api/signals/delivery-configs",
            new { signal_type = "*", destination_type = "posthog_cohort", destination_config = new { cohort_id = 3 } })).Json(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/integrations/posthog")).StatusCode);

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var outcomes = Outcomes(run);
        Assert.Equal("failed", outcomes["ph_nothing"].GetProperty("status").GetString());
        Assert.StartsWith("PostHog not configured", outcomes["ph_nothing"].GetProperty("error").GetString());
        var score = Assert.Single((await (await client.GetAsync("/api/signals/aggregates?type=ph_nothing")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.StartsWith("PostHog not configured", score.GetProperty("error").GetString());
        var signal = Assert.Single(await client.Signals());
        var delivery = Assert.Single((await (await client.GetAsync($"/api/signals/{signal.GetProperty("id").GetString()}/deliveries")).Json(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        Assert.Equal("skipped", delivery.GetProperty("status").GetString());
        Assert.Contains("not configured", delivery.GetProperty("error").GetString());
        Assert.Contains("/api/integrations/posthog", delivery.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_integration_is_read_back_without_its_key_and_can_be_removed()
    {
        var (client, _) = await WorkspaceAsync(mapping: new { account_group_index = 2 });
        var read = await (await client.GetAsync("/api/integrations/posthog")).Json(HttpStatusCode.OK);
        Assert.Equal(PostHog.BaseUrl + "/", read.GetProperty("host").GetString());
        Assert.Equal(FakePostHog.ProjectId, read.GetProperty("project_id").GetInt32());
        Assert.Equal(2, read.GetProperty("account_group_index").GetInt32());
        Assert.False(read.TryGetProperty("api_key", out _));
        Assert.DoesNotContain(FakePostHog.Token, read.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/integrations/posthog")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/integrations/posthog")).StatusCode);
    }

    [Theory]
    [InlineData("""{"project_id":42,"api_key":"k"}""", "host")]
    [InlineData("""{"host":"ftp://ph.example.com","project_id":42,"api_key":"k"}""", "host")]
    [InlineData("""{"host":"http://10.1.2.3","project_id":42,"api_key":"k"}""", "host")]
    [InlineData("""{"host":"https://us.posthog.com","project_id":"42","api_key":"k"}""", "project_id")]
    [InlineData("""{"host":"https://us.posthog.com","project_id":0,"api_key":"k"}""", "project_id")]
    [InlineData("""{"host":"https://us.posthog.com","project_id":42}""", "api_key")]
    [InlineData("""{"host":"https://us.posthog.com","project_id":42,"api_key":"k","account_group_index":5}""", "account_group_index")]
    [InlineData("""{"host":"https://us.posthog.com","project_id":42,"api_key":"k","projectid":1}""", "projectid")]
    public async Task A_bad_integration_body_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PutAsync("/api/integrations/posthog", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .Json(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/integrations/posthog")).StatusCode);
    }

    [Theory]
    [InlineData("/api/signals/definitions", """{"type":"p1","source":"posthog","condition_operator":"gte","condition_value":3,"time_window_days":7}""", "event_name")]
    [InlineData("/api/signals/definitions", """{"type":"p1","source":"posthog","event_name":"e","condition_value":3,"time_window_days":7}""", "condition_operator")]
    [InlineData("/api/signals/definitions", """{"type":"p1","source":"posthog","event_name":"e","condition_operator":"gte","condition_value":3}""", "time_window_days")]
    [InlineData("/api/signals/delivery-configs", """{"signal_type":"*","destination_type":"posthog_cohort","destination_config":{}}""", "destination_config.cohort_id")]
    [InlineData("/api/signals/delivery-configs", """{"signal_type":"*","destination_type":"posthog_cohort","destination_config":{"cohort_id":"vip"}}""", "destination_config.cohort_id")]
    public async Task A_bad_posthog_definition_or_cohort_config_is_a_400_naming_the_field_and_nothing_is_stored(string url, string body, string field)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw(url, body)).Json(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, (await (await client.GetAsync(url)).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    /// <summary>A pipeline run while PostHog answers every request 503.</summary>
    private async Task<JsonElement> RunWhilePostHogIsDownAsync(HttpClient client)
    {
        PostHog.AlwaysFail = 503;
        try
        {
            return await client.RunPipeline();
        }
        finally
        {
            PostHog.AlwaysFail = 0;
        }
    }
}
