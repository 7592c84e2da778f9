using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Exports.Support.ExportReadBack;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>
/// One workspace with accounts, insights, lifecycle events and traits, and the rows each dataset
/// should export, taken from what the API says (and, for <c>received_at</c>, which the API does not
/// show, from the events table).
/// </summary>
public sealed class ExportsSeed
{
    public static readonly string[] Accounts = ["acme", "bravo, \"quoted\"", "zeta-東京"];

    public required HttpClient Client { get; init; }
    public required string WorkspaceId { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required IReadOnlyList<object> Events { get; init; }

    public static async Task<ExportsSeed> CreateAsync(SignalsFactory factory)
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync("Exports");
        await client.Define(new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 2 });
        await client.Define(new { key = "big_spender", kind = "metric", source = "event", @event = "purchase", property = "amount", @operator = "gt", value = 100 });
        await (await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "upgraded" })).Json(HttpStatusCode.OK);
        var start = factory.Clock.GetUtcNow().AddHours(-2);
        object[] events =
        [
            Event("e1", "acme", "login", start.AddMinutes(1)),
            Event("e2", "acme", "login", start.AddMinutes(2), new { ip = "10.0.0.1", tags = new[] { "a", "b" } }),
            Event("e3", "acme", "upgraded", start.AddMinutes(3), new { plan = "pro, annual", note = "say \"hi\"\nnew line" }),
            Event("e4", "bravo, \"quoted\"", "purchase", start.AddMinutes(4), new { amount = 250.5 }),
            Event("e5", "zeta-東京", "login", start.AddMinutes(5), new { city = "東京", emoji = "🚀" }),
            new { event_id = "e6", account_id = "zeta-東京", person_id = "p-1", @event = "purchase", timestamp = Iso(start.AddMinutes(6)), properties = new { amount = 20 } },
        ];
        await (await client.PostAsJsonAsync("/api/events", events)).Json(HttpStatusCode.Accepted);
        await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "pro", seats = 12 })).Json(HttpStatusCode.OK);
        // The insight snapshot reads checkpoints, which follow acknowledged events within the checkpoint interval.
        await Eventually(async () => await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM accounts WHERE workspace_id = $1 AND position = (SELECT head FROM account_journal j WHERE j.workspace_id = accounts.workspace_id AND j.account_id = accounts.account_id)",
            workspace) == 3, TimeSpan.FromSeconds(10), "every seeded account is checkpointed");
        return new ExportsSeed { Client = client, WorkspaceId = workspace, Start = start, Events = events };
    }

    public async Task<List<string?[]>> ExpectedHistoryAsync()
    {
        var rows = new List<string?[]>();
        foreach (var account in Accounts)
        {
            var page = await (await Client.GetAsync($"/api/accounts/{Uri.EscapeDataString(account)}/history?limit=1000")).Json(HttpStatusCode.OK);
            foreach (var h in page.GetProperty("items").EnumerateArray())
            {
                rows.Add([
                    h.GetProperty("id").GetString(), Micros(h.GetProperty("occurred_at").GetDateTimeOffset()), h.GetProperty("account_id").GetString(),
                    h.GetProperty("type").GetString(), Optional(h, "key"), ValueText(h, "old_value"), ValueText(h, "new_value"),
                    h.TryGetProperty("health_score", out var s) ? s.GetInt32().ToString() : null]);
            }
        }
        return rows;
    }

    public async Task<List<string?[]>> ExpectedEventsAsync(TestDatabase database)
    {
        var rows = new List<string?[]>();
        foreach (var e in Events.Select(e => JsonSerializer.SerializeToElement(e)))
        {
            var id = e.GetProperty("event_id").GetString()!;
            var received = await database.ScalarAsync<DateTime>("SELECT received_at FROM events WHERE workspace_id = $1 AND event_id = $2", WorkspaceId, id);
            rows.Add([
                id, Micros(e.GetProperty("timestamp").GetDateTimeOffset()), e.GetProperty("account_id").GetString(), Optional(e, "person_id"),
                e.GetProperty("event").GetString(), Micros(new DateTimeOffset(received, TimeSpan.Zero)),
                e.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? CanonicalJson(p.GetRawText()) : null]);
        }
        return rows;
    }

    /// <summary>One row per account and definition; <paramref name="snapshotAt"/> comes from the file (the run's start).</summary>
    public async Task<List<string?[]>> ExpectedSnapshotAsync(string snapshotAt, params string[] traits)
    {
        var rows = new List<string?[]>();
        foreach (var account in Accounts)
        {
            var view = await Client.Account(Uri.EscapeDataString(account));
            foreach (var insight in new[] { "big_spender", "power_user" })
            {
                var has = view.GetProperty("insights").TryGetProperty(insight, out var status);
                var row = new List<string?>
                {
                    snapshotAt, account, insight, has && status.GetProperty("active").GetBoolean() ? "true" : "false",
                    has ? Micros(RoundToMicros(status.GetProperty("since").GetDateTimeOffset())) : null,
                    view.GetProperty("health_score").GetInt32().ToString(),
                };
                foreach (var trait in traits)
                {
                    row.Add(view.GetProperty("traits").TryGetProperty(trait, out var t)
                        ? t.ValueKind == JsonValueKind.String ? t.GetString() : t.GetRawText()
                        : null);
                }
                rows.Add([.. row]);
            }
        }
        return rows;
    }

    /// <summary>PostgreSQL keeps microseconds and rounds (half to even) the ticks below them.</summary>
    private static DateTimeOffset RoundToMicros(DateTimeOffset at)
    {
        var micros = Math.Round(at.UtcTicks / 10m, MidpointRounding.ToEven);
        return new DateTimeOffset((long)micros * 10, TimeSpan.Zero);
    }

    /// <summary>A transition value (boolean, integer or string) as CSV and Parquet spell it.</summary>
    private static string? ValueText(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    private static string? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetString() : null;
}
