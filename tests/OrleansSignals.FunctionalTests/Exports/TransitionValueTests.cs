using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Hooks;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Exports.Support.ExportReadBack;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>Exports to a temporary folder, hooks to a loopback receiver.</summary>
public sealed class TransitionValuesFactory : ExportsFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [.. base.Settings, new("Signals:Hooks:AllowPrivateNetworks", "true")];
}

/// <summary>
/// One shape for a transition's values: the history API, the hook and the JSON Lines export carry the same
/// JSON types (boolean for insights, integer for health scores, string for lifecycle events); CSV and Parquet
/// carry their text.
/// </summary>
public sealed class TransitionValueTests(TransitionValuesFactory factory) : IClassFixture<TransitionValuesFactory>
{
    private static readonly Dictionary<string, JsonValueKind> Expected = new()
    {
        ["insight.triggered"] = JsonValueKind.True,
        ["insight.resolved"] = JsonValueKind.False,
        ["health_score.changed"] = JsonValueKind.Number,
        ["lifecycle.event"] = JsonValueKind.String,
    };

    [Fact]
    public async Task History_hooks_and_exports_carry_old_and_new_values_with_the_same_types()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var receiver = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = receiver.Url, event_types = Expected.Keys.ToArray() });
        await client.Define(new { key = "churn_risk", kind = "event_count", @event = "login", window_days = 14, @operator = "lt", value = 1 });
        await client.Define(new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 1 });
        await (await client.PutAsJsonAsync("/api/health-model", new
        {
            @base = 80, min_change = 1,
            components = new object[] { new { type = "insight", insight = "churn_risk", weight = -50 } },
        })).Json(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "upgraded" })).Json(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "pro" })).Json(HttpStatusCode.OK);
        await (await client.PostEvents(
            Event("l1", "acme", "login", factory.Clock.GetUtcNow()),
            Event("u1", "acme", "upgraded", factory.Clock.GetUtcNow()))).Json(HttpStatusCode.Accepted);

        var history = (await (await client.GetAsync("/api/accounts/acme/history")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        foreach (var type in Expected.Keys)
            Assert.Contains(history, h => h.GetProperty("type").GetString() == type);
        foreach (var h in history)
        {
            var type = h.GetProperty("type").GetString()!;
            Assert.Equal(Expected[type], h.GetProperty("new_value").ValueKind);
        }

        // Hooks: the same values, byte for byte, as the history row with the same id.
        await HookTestHelpers.WaitFor(() => Expected.Keys.All(t => receiver.Requests.Any(r => r.Json.GetProperty("type").GetString() == t)),
            "a hook of every transition type");
        foreach (var h in history)
        {
            // A health move below the default threshold is not pushed: compare what was.
            if (receiver.Requests.FirstOrDefault(r => r.Id == h.GetProperty("id").GetString()) is not { } request) continue;
            var hook = request.Json.GetProperty("data");
            Assert.Equal(Raw(h, "old_value"), Raw(hook, "old_value"));
            Assert.Equal(Raw(h, "new_value"), Raw(hook, "new_value"));
        }

        var (from, to) = (Iso(start), Iso(DateTimeOffset.UtcNow.AddMinutes(1)));
        // JSON Lines: typed JSON values.
        var jsonl = await ExportFileAsync(client, "jsonl", from, to);
        var exported = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToDictionary(r => r.GetProperty("id").GetString()!);
        foreach (var h in history)
        {
            var row = exported[h.GetProperty("id").GetString()!];
            Assert.Equal(Raw(h, "old_value"), Raw(row, "old_value"));
            Assert.Equal(Raw(h, "new_value"), Raw(row, "new_value"));
        }

        // CSV and Parquet (a string column): the text of the value.
        foreach (var format in new[] { "csv", "parquet" })
        {
            var table = await ReadAsync(await ExportFileAsync(client, format, from, to), format, new HashSet<string>());
            var id = table.Columns.ToList().IndexOf("id");
            var newValue = table.Columns.ToList().IndexOf("new_value");
            foreach (var h in history)
            {
                var row = table.Rows.Single(r => r[id] == h.GetProperty("id").GetString());
                var value = h.GetProperty("new_value");
                Assert.Equal(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(), row[newValue]);
            }
        }
    }

    private static string Raw(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetRawText() : "null";

    /// <summary>The export's one file, found under the local root by its name (whatever form <c>location</c> takes).</summary>
    private async Task<string> ExportFileAsync(HttpClient client, string format, string from, string to)
    {
        var run = await client.ExportAsync(new { dataset = "lifecycle-event-history", format, from, to });
        Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        var name = Path.GetFileName(run.Files().Single().GetProperty("location").GetString()!);
        return Directory.EnumerateFiles(factory.LocalRoot, name, SearchOption.AllDirectories).Single();
    }
}
