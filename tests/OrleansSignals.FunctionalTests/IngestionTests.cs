using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Grains.Reminders;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

public sealed class IngestionTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    private async Task<long> StoredEvents(string workspaceId) =>
        await factory.Database.ScalarAsync<long>("SELECT count(*) FROM events WHERE workspace_id = $1", workspaceId);

    [Fact]
    public async Task Events_are_stored_once_and_applied_to_the_account()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        var result = await (await client.PostEvents(
            Event("e1", "acme", "login", now.AddHours(-2)),
            Event("e2", "acme", "report_viewed", now.AddHours(-1), new { pages = 3 }),
            Event("e3", "globex", "login", now))).Json(HttpStatusCode.Accepted);
        Assert.Equal(3, result.GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("duplicates").GetInt32());

        var acme = await client.Account("acme");
        Assert.Equal("acme", acme.GetProperty("account_id").GetString());
        Assert.Equal(Iso(now.AddHours(-1))[..19], acme.GetProperty("lifecycle").GetProperty("report_viewed").GetString()![..19]);
        Assert.InRange(acme.GetProperty("health_score").GetInt32(), 0, 100);
        Assert.Equal("{\"pages\": 3}", await factory.Database.ScalarAsync<string>("SELECT properties::text FROM events WHERE event_id = 'e2'"));
        Assert.Equal(3L, await StoredEvents(workspace));
    }

    [Fact]
    public async Task A_replayed_event_is_counted_once()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await (await client.PostEvents(Event("dup-1", "acme", "login", at), Event("dup-2", "acme", "login", at))).Json(HttpStatusCode.Accepted);
        var replay = await (await client.PostEvents(
            Event("dup-1", "acme", "login", at),
            Event("dup-3", "acme", "login", at),
            Event("dup-3", "acme", "login", at))).Json(HttpStatusCode.Accepted);
        Assert.Equal(1, replay.GetProperty("accepted").GetInt32());
        Assert.Equal(2, replay.GetProperty("duplicates").GetInt32());
        Assert.Equal(3L, await StoredEvents(workspace));
        // The account counted three logins, not five.
        Assert.Equal(3L, await factory.Database.CheckpointedEventCountAsync(workspace, "login", 3L));
    }

    [Fact]
    public async Task Each_later_batch_of_an_account_is_checkpointed_within_the_interval()
    {
        // The account's checkpoint timer is armed again after every batch: one that fired only once would leave the
        // stored state (what lists, exports and the sweeps read) behind the journal until the account deactivates.
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        for (var i = 1; i <= 3; i++)
        {
            await (await client.PostEvents(Event($"later-{i}", "acme", "login", at))).Json(HttpStatusCode.Accepted);
            Assert.Equal((long)i, await factory.Database.CheckpointedEventCountAsync(workspace, "login", i, "acme"));
        }
    }

    [Fact]
    public async Task One_bad_item_rejects_the_whole_batch_naming_each_item_and_field()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var body = $$"""
            [
              {"event_id": "ok-1", "account_id": "acme", "event": "login", "timestamp": "{{Iso(DateTimeOffset.UtcNow)}}"},
              {"event_id": 42, "account_id": "acme", "event": "login", "timestamp": "{{Iso(DateTimeOffset.UtcNow)}}"},
              {"event_id": "bad-2", "event": "login", "timestamp": "yesterday"},
              {"event_id": "bad-3", "account_id": "acme", "event": "login", "timestamp": "2026-01-01T10:00:00"},
              {"event_id": "bad-4", "account_id": "acme", "event": "login", "timestamp": "{{Iso(DateTimeOffset.UtcNow.AddDays(3))}}"},
              {"event_id": "bad-5", "account_id": "acme", "event": "login", "timestamp": "{{Iso(DateTimeOffset.UtcNow)}}", "properties": [1, 2]}
            ]
            """;
        var problem = await (await client.PostRaw("/api/events", body)).Json(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Contains("must be a string", errors.GetProperty("[1].event_id")[0].GetString());
        Assert.Contains("required", errors.GetProperty("[2].account_id")[0].GetString());
        Assert.Contains("yesterday", errors.GetProperty("[2].timestamp")[0].GetString());
        Assert.Contains("time zone", errors.GetProperty("[3].timestamp")[0].GetString());
        Assert.Contains("one day from now", errors.GetProperty("[4].timestamp")[0].GetString());
        Assert.Contains("object", errors.GetProperty("[5].properties")[0].GetString());
        Assert.False(errors.TryGetProperty("[0].event_id", out _));
        Assert.Contains("no event of this batch was stored", problem.GetProperty("detail").GetString());
        Assert.Equal(0L, await StoredEvents(workspace));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/accounts/acme")).StatusCode);
    }

    [Theory]
    [InlineData("[{\"event_id\": \"x\",", "not valid JSON")]
    [InlineData("{\"event_id\": \"x\"}", "JSON array")]
    [InlineData("[]", "no events")]
    [InlineData("[1, 2]", "JSON object")]
    public async Task Malformed_bodies_are_refused_with_the_reason(string body, string reason)
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/events", body)).Json(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.GetRawText());
        Assert.Equal(0L, await StoredEvents(workspace));
    }

    [Fact]
    public async Task More_than_ten_thousand_events_is_too_large_and_nothing_is_stored()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var at = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 10_001).Select(i => Event($"big-{i}", "acme", "login", at)).ToArray();
        var problem = await (await client.PostEvents(events)).Json(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("10,000", problem.GetProperty("detail").GetString());
        Assert.Equal(0L, await StoredEvents(workspace));
    }

    [Fact]
    public async Task A_body_over_five_megabytes_is_too_large()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var padding = new string('x', 6 * 1024 * 1024);
        var body = $$$"""[{"event_id": "p", "account_id": "acme", "event": "login", "timestamp": "{{{Iso(DateTimeOffset.UtcNow)}}}", "properties": {"pad": "{{{padding}}}"}}]""";
        await (await client.PostRaw("/api/events", body)).Json(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0L, await StoredEvents(workspace));
    }

    [Fact]
    public async Task Ndjson_is_accepted_line_by_line()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        var lines = new StringBuilder();
        for (var i = 0; i < 3; i++) lines.Append(JsonSerializer.Serialize(Event($"nd-{i}", "acme", "login", now.AddMinutes(-i)))).Append('\n');
        lines.Append('\n');
        var result = await (await client.PostRaw("/api/events", lines.ToString(), "application/x-ndjson")).Json(HttpStatusCode.Accepted);
        Assert.Equal(3, result.GetProperty("accepted").GetInt32());

        var bad = await (await client.PostRaw("/api/events", "{\"event_id\":\"nd-9\"}\nnot json\n", "application/x-ndjson")).Json(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("[1]", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("[0].account_id", out _));
        Assert.Equal(3L, await StoredEvents(workspace));

        // application/ndjson, the type most tools send now, is the same format.
        var modern = await (await client.PostRaw("/api/events", JsonSerializer.Serialize(Event("nd-5", "acme", "login", now)) + "\n", "application/ndjson")).Json(HttpStatusCode.Accepted);
        Assert.Equal(1, modern.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task A_body_of_another_type_is_refused_saying_which_types_are_accepted()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var body = JsonSerializer.Serialize(new[] { Event("ct-1", "acme", "login", DateTimeOffset.UtcNow) });
        var problem = await (await client.PostRaw("/api/events", body, "text/plain")).Json(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
        Assert.Contains("application/x-ndjson", problem.GetProperty("detail").GetString());
        Assert.Equal(0L, await StoredEvents(workspace));
    }

    [Fact]
    public async Task Concurrent_batches_for_one_account_lose_no_event()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async b =>
        {
            var events = Enumerable.Range(0, 25).Select(i => Event($"c-{b}-{i}", "hot", "login", now.AddSeconds(-i))).ToArray();
            await (await client.PostEvents(events)).Json(HttpStatusCode.Accepted);
        }));
        Assert.Equal(500L, await StoredEvents(workspace));
        Assert.Equal(500L, await factory.Database.CheckpointedEventCountAsync(workspace, "login", 500L));
    }

    [Fact]
    public async Task A_nul_character_postgres_cannot_store_is_refused_up_front()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var at = Iso(DateTimeOffset.UtcNow);
        var body = $$$"""
            [{"event_id": "n1", "account_id": "acme", "event": "login", "timestamp": "{{{at}}}", "properties": {"note": "a\u0000b"}},
             {"event_id": "n2", "account_id": "acme", "event": "login", "timestamp": "{{{at}}}", "properties": {"path": "C:\\u0000dir"}}]
            """;
        var problem = await (await client.PostRaw("/api/events", body)).Json(HttpStatusCode.BadRequest);
        Assert.Contains("NUL", problem.GetProperty("errors").GetProperty("[0].properties.note")[0].GetString());
        Assert.False(problem.GetProperty("errors").TryGetProperty("[1].properties.path", out _)); // an escaped backslash is fine
        var traits = await (await client.PutAsync("/api/accounts/acme/traits",
            new StringContent("""{"name": "bad\u0000name"}""", Encoding.UTF8, "application/json"))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("NUL", traits.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(0L, await StoredEvents(workspace));
    }

    [Fact]
    public async Task A_request_the_database_refuses_stores_nothing_and_never_fails_another_workspaces_requests()
    {
        var (bad, badWorkspace) = await factory.CreateWorkspaceAsync("Poison");
        var (good, goodWorkspace) = await factory.CreateWorkspaceAsync("Healthy");
        // A rule only the poison workspace trips, standing in for any row PostgreSQL refuses.
        await factory.Database.ScalarAsync<int>($"""
            DO $$ BEGIN EXECUTE 'ALTER TABLE events ADD CONSTRAINT no_poison_{badWorkspace} CHECK (workspace_id <> ''{badWorkspace}'' OR event <> ''poison'')'; END $$;
            SELECT 1
            """);
        var now = DateTimeOffset.UtcNow;
        // 40 poisoned requests and 40 healthy ones of 100 events, all at once: they share group-commit transactions.
        var poisoned = Enumerable.Range(0, 40).Select(r => bad.PostEvents(
            [.. Enumerable.Range(0, 10).Select(i => Event($"g{r}-{i}", $"fine-{i}", "login", now)), Event($"p{r}", "bad", "poison", now)]));
        var healthy = Enumerable.Range(0, 40).Select(r => good.PostEvents(
            [.. Enumerable.Range(0, 100).Select(i => Event($"h{r}-{i}", $"acct-{i % 20}", "login", now.AddSeconds(-r)))]));
        var answers = await Task.WhenAll(poisoned.Concat(healthy));

        Assert.All(answers.Take(40), r => Assert.False(r.IsSuccessStatusCode));
        Assert.All(answers.Skip(40), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        // A refused request stored none of its events, not even its good ones; every healthy event is stored and counted.
        Assert.Equal(0L, await StoredEvents(badWorkspace));
        Assert.Equal(HttpStatusCode.NotFound, (await bad.GetAsync("/api/accounts/fine-3")).StatusCode);
        Assert.Equal(4000L, await StoredEvents(goodWorkspace));
        Assert.Equal(4000L, await factory.Database.CheckpointedEventCountAsync(goodWorkspace, "login", 4000L));
    }

    [Fact]
    public async Task The_same_event_id_sent_at_once_with_different_timestamps_is_stored_and_counted_once()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        // Two requests per id, one second apart in occurred_at (so in different rows of a time-partitioned table).
        var requests = Enumerable.Range(0, 300).SelectMany(i => new[]
        {
            client.PostEvents(Event($"same-{i}", $"acct-{i % 10}", "login", now)),
            client.PostEvents(Event($"same-{i}", $"acct-{i % 10}", "login", now.AddSeconds(-1))),
        });
        var answers = await Task.WhenAll(requests);
        var accepted = 0;
        foreach (var answer in answers) accepted += (await answer.Json(HttpStatusCode.Accepted)).GetProperty("accepted").GetInt32();

        Assert.Equal(300, accepted);
        Assert.Equal(300L, await StoredEvents(workspace));
        Assert.Equal(300L, await factory.Database.CheckpointedEventCountAsync(workspace, "login", 300L));
    }

    [Fact]
    public async Task A_retry_of_a_request_whose_events_were_stored_but_not_applied_applies_them()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("before", "acme", "login", now))).Json(HttpStatusCode.Accepted);
        // The host stored the next request's events and died before its account applied them (the account stays
        // active elsewhere): what the client's retry must repair.
        var journal = factory.Services.GetRequiredService<EventJournal>();
        await journal.AppendAsync(new EventJournal.Append(workspace, now, [new IncomingEvent("lost-1", "acme", null, "report_exported", now, null, null)]));
        Assert.False((await client.Account("acme")).GetProperty("lifecycle").TryGetProperty("report_exported", out _));

        var retry = await (await client.PostEvents(Event("lost-1", "acme", "report_exported", now))).Json(HttpStatusCode.Accepted);
        Assert.Equal(1, retry.GetProperty("duplicates").GetInt32());
        Assert.True((await client.Account("acme")).GetProperty("lifecycle").TryGetProperty("report_exported", out _));
    }

    [Fact]
    public async Task The_reminder_catches_up_an_account_whose_checkpoint_stays_behind_its_journal()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("c-1", "acme", "login", now))).Json(HttpStatusCode.Accepted);
        var journal = factory.Services.GetRequiredService<EventJournal>();
        await journal.AppendAsync(new EventJournal.Append(workspace, now, [new IncomingEvent("c-2", "acme", null, "login", now, null, null)]));

        Assert.Equal(1, await factory.Services.GetRequiredService<DueAccountSweeper>().CatchUpStaleAsync(workspace, CancellationToken.None));
        Assert.Equal(2L, await factory.Database.CheckpointedEventCountAsync(workspace, "login", 2L));
    }

    [Fact]
    public async Task A_lone_surrogate_postgres_cannot_store_is_refused_naming_the_field()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var at = Iso(DateTimeOffset.UtcNow);
        var body = $$$"""
            [{"event_id": "s1", "account_id": "acme", "event": "login", "timestamp": "{{{at}}}", "properties": {"note": "a\ud800b"}},
             {"event_id": "s2\udc00", "account_id": "acme", "event": "login", "timestamp": "{{{at}}}"},
             {"event_id": "s3", "account_id": "acme", "event": "login", "timestamp": "{{{at}}}", "properties": {"emoji": "\ud83d\ude80"}}]
            """;
        var problem = await (await client.PostRaw("/api/events", body)).Json(HttpStatusCode.BadRequest);
        Assert.Contains("surrogate", problem.GetProperty("errors").GetProperty("[0].properties.note")[0].GetString());
        Assert.Contains("surrogate", problem.GetProperty("errors").GetProperty("[1].event_id")[0].GetString());
        Assert.False(problem.GetProperty("errors").TryGetProperty("[2].properties.emoji", out _)); // a pair is a character
        var traits = await (await client.PutAsync("/api/accounts/acme/traits",
            new StringContent("""{"name": "bad\ud800name"}""", Encoding.UTF8, "application/json"))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("surrogate", traits.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(0L, await StoredEvents(workspace));
    }
}
