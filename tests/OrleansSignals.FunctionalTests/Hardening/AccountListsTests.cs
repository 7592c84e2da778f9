using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Hardening;

/// <summary>Issue 12, items 5 and 6: an account's raw events, and account lists filtered by trait and sorted with stable cursors.</summary>
public sealed class AccountListsTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    private static async Task<List<JsonElement>> All(HttpClient client, string url, string collection = "items")
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync(url + (cursor is null ? "" : "&cursor=" + cursor))).Json(HttpStatusCode.OK);
            all.AddRange(page.GetProperty(collection).EnumerateArray());
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);
        return all;
    }

    [Fact]
    public async Task An_accounts_raw_events_are_listed_newest_first_within_since_and_until_a_page_at_a_time()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-40);
        // Sent out of order, over two months (two partitions), with equal timestamps among them.
        var events = Enumerable.Range(0, 25).Select(i => Event($"e{i:D2}", "acme", i % 2 == 0 ? "login" : "view", start.AddDays(i * 1.5).AddSeconds(i == 3 ? 0 : 1), new { n = i }))
            .Append(Event("tie", "acme", "login", start.AddDays(3 * 1.5))).Append(Event("other", "bravo", "login", start))
            .OrderBy(_ => Guid.NewGuid()).ToArray();
        await (await client.PostEvents(events)).Json(HttpStatusCode.Accepted);

        var listed = await All(client, "/api/accounts/acme/events?limit=4");
        Assert.Equal(26, listed.Count);
        var times = listed.Select(e => DateTimeOffset.Parse(e.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.Equal(26, listed.Select(e => e.GetProperty("event_id").GetString()).Distinct().Count());
        var first = listed[0];
        Assert.Equal("e24", first.GetProperty("event_id").GetString());
        Assert.Equal(24, first.GetProperty("properties").GetProperty("n").GetInt32());
        Assert.True(first.TryGetProperty("received_at", out _));

        var since = start.AddDays(10);
        var until = start.AddDays(20);
        var window = await All(client, $"/api/accounts/acme/events?limit=3&since={Uri.EscapeDataString(Iso(since))}&until={Uri.EscapeDataString(Iso(until))}");
        Assert.Equal(times.Count(t => t >= since && t < until), window.Count);

        await (await client.GetAsync("/api/accounts/nobody/events")).Json(HttpStatusCode.NotFound);
        var bad = await (await client.GetAsync("/api/accounts/acme/events?since=yesterday")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("ISO 8601", bad.GetProperty("errors").GetProperty("since")[0].GetString());
        await (await client.GetAsync("/api/accounts/acme/events?cursor=nope")).Json(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Accounts_filter_by_trait_and_sort_by_health_or_update_with_cursors_that_hold_the_order()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        // Scores from the model's base, so several accounts share a score: the cursor must break ties by id.
        for (var i = 0; i < 12; i++)
        {
            await (await client.PutAsJsonAsync($"/api/accounts/a{i:D2}/traits", new { plan = i % 3 == 0 ? "pro" : "free", seats = i })).Json(HttpStatusCode.OK);
        }
        await (await client.PostEvents(Enumerable.Range(0, 4).Select(i => Event($"l{i}", $"a{i:D2}", "login", DateTimeOffset.UtcNow)).ToArray())).Json(HttpStatusCode.Accepted);

        // Lists read checkpoints, which follow within the checkpoint interval.
        List<JsonElement> byHealth = [];
        await Eventually(async () =>
        {
            byHealth = await All(client, "/api/accounts?sort=-health_score&limit=5");
            return byHealth.Count == 12 && byHealth.Take(4).All(a => a.GetProperty("health_score").GetInt32() > byHealth[^1].GetProperty("health_score").GetInt32());
        }, TimeSpan.FromSeconds(15), "the list shows every account with its score");
        var scores = byHealth.Select(a => (a.GetProperty("health_score").GetInt32(), a.GetProperty("account_id").GetString()!)).ToList();
        Assert.Equal(scores.OrderByDescending(s => s.Item1).ThenByDescending(s => s.Item2, StringComparer.Ordinal), scores);

        var ascending = await All(client, "/api/accounts?sort=health_score&limit=5");
        Assert.Equal(scores.AsEnumerable().Reverse().Select(s => s.Item2), ascending.Select(a => a.GetProperty("account_id").GetString()));

        var byUpdate = await All(client, "/api/accounts?sort=-updated_at&limit=4");
        var updated = byUpdate.Select(a => DateTimeOffset.Parse(a.GetProperty("updated_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(12, updated.Count);
        Assert.Equal(updated.OrderDescending(), updated);

        var pro = await All(client, "/api/accounts?trait.plan=pro&sort=account_id&limit=2");
        Assert.Equal(["a00", "a03", "a06", "a09"], pro.Select(a => a.GetProperty("account_id").GetString()));
        var proAndSeats = await All(client, "/api/accounts?trait.plan=pro&trait.seats=6&limit=2");
        Assert.Equal(["a06"], proAndSeats.Select(a => a.GetProperty("account_id").GetString()));

        // A cursor belongs to its order; an unknown order is named.
        var page = await (await client.GetAsync("/api/accounts?sort=health_score&limit=2")).Json(HttpStatusCode.OK);
        var cursor = page.GetProperty("next_cursor").GetString();
        var mixed = await (await client.GetAsync($"/api/accounts?sort=updated_at&cursor={cursor}")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("sort=updated_at", mixed.GetProperty("errors").GetProperty("cursor")[0].GetString());
        var unknown = await (await client.GetAsync("/api/accounts?sort=mood")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("-health_score", unknown.GetProperty("errors").GetProperty("sort")[0].GetString());
    }
}
