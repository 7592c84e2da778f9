using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrleansSignals.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansSignals.FunctionalTests.Hardening;

/// <summary>
/// Issue 12, item 11: a storm of malformed requests across every write route of a real host (Kestrel, its own
/// process): no answer is 5xx, the host stays up and serves, and its memory stays bounded.
/// </summary>
/// <remarks>
/// The bound: the host's resident memory after the storm is at most <see cref="MaxRssBytes"/> (it starts at about
/// 200-250 MB), and the second half of the storm grows it by at most <see cref="MaxSecondHalfGrowthBytes"/>: memory that
/// a request holds on to would grow with every request, so it shows as growth from the first half to the second.
/// </remarks>
public sealed class MalformedRequestStormTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminToken = "storm-admin-token-0123456789";
    private const int Requests = 6_000;
    private const int Parallel = 12;
    public const long MaxRssBytes = 700L * 1024 * 1024;
    public const long MaxSecondHalfGrowthBytes = 120L * 1024 * 1024;

    private TestDatabase _database = null!;
    private HostProcess _host = null!;
    private readonly string _exports = Path.Combine(Path.GetTempPath(), "storm-exports-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // Webhook bodies name 127.0.0.1 (a closed port): nothing of the storm leaves the machine.
        _host = HostProcess.Start(_database.ConnectionString, AdminToken,
            ("Signals:Hooks:AllowPrivateNetworks", "true"), ("Signals:Exports:LocalRoot", _exports));
        await _host.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_exports)) Directory.Delete(_exports, recursive: true);
    }

    /// <param name="Admin">Sent with the operator token (the /api/workspaces routes) instead of the workspace's key.</param>
    private sealed record Route(string Method, string Path, string Body, string ContentType = "application/json", bool Admin = false);

    private static Route[] Routes(string webhookId, string workspaceId) =>
    [
        new("POST", "/api/events", """[{"event_id":"e1","account_id":"acme","event":"login","timestamp":"2026-11-20T10:00:00Z","properties":{"plan":"pro","seats":3}}]"""),
        new("POST", "/api/events", """{"event_id":"n1","account_id":"acme","event":"login","timestamp":"2026-11-20T10:00:00Z","properties":{"a":[1,2]}}""", "application/x-ndjson"),
        new("POST", "/api/insights/definitions", """{"key":"busy","kind":"event_count","event":"login","window_days":7,"operator":"gte","value":3,"description":"d"}"""),
        new("PUT", "/api/insights/definitions/idle", """{"key":"idle","kind":"inactivity","days":14,"event":"login"}"""),
        new("POST", "/api/webhooks", """{"url":"http://127.0.0.1:9/h","event_types":["insight.triggered"],"description":"d","filters":{"insights":["busy"],"accounts":["acme"],"health_drop_gte":5},"headers":{"X-A":"b"},"rate_limit_per_second":5,"ordered":true,"enabled":false}"""),
        new("PUT", $"/api/webhooks/{webhookId}", """{"url":"http://127.0.0.1:9/h","event_types":["insight.triggered","health_score.changed"],"headers":{"X-A":"b"}}"""),
        new("POST", $"/api/webhooks/{webhookId}/recover", """{"since":"2026-11-20T10:00:00Z"}"""),
        new("PUT", "/api/accounts/acme/traits", """{"plan":"pro","seats":12,"tags":["a","b"],"owner":{"name":"x"}}"""),
        new("PATCH", "/api/accounts/acme/traits", """{"plan":"team","seats":null}""", "application/merge-patch+json"),
        new("POST", "/api/datalake/exports", """{"dataset":"insight-snapshot","format":"csv","compression":"gzip","destination":{"type":"local","prefix":"p"},"traits":["plan"]}"""),
        new("POST", "/api/datalake/schedules", """{"dataset":"insight-snapshot","format":"json","destination":{"type":"local"},"cadence":"daily","at":"06:00"}"""),
        new("PUT", "/api/health-model", """{"base":50,"components":[{"type":"recency","weight":30,"days":30}],"min_change":5}"""),
        new("PUT", "/api/lifecycle-events", """["signed_up","churned"]"""),
        new("POST", "/api/workspace/api-keys", """{"name":"k"}"""),
        new("POST", "/api/workspaces", """{"name":"w"}""", Admin: true),
        new("POST", $"/api/workspaces/{workspaceId}/api-keys", """{"name":"k"}""", Admin: true),
    ];

    [Fact]
    public async Task Six_thousand_malformed_requests_get_no_5xx_and_leave_the_host_up_with_bounded_memory()
    {
        using var admin = _host.Client(AdminToken);
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Storm" })).Json(HttpStatusCode.Created);
        using var client = _host.Client(created.GetProperty("api_key").GetString()!);
        client.Timeout = TimeSpan.FromSeconds(30);
        var webhook = await (await client.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/h", event_types = new[] { "insight.triggered" }, enabled = false })).Json(HttpStatusCode.Created);
        var routes = Routes(webhook.GetProperty("id").GetString()!, created.GetProperty("id").GetString()!);

        var random = new Random(12);
        var requests = Enumerable.Range(0, Requests).Select(i => Malformed(routes[i % routes.Length], random)).ToList();
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();

        await Send(requests[..200]); // warm-up: JIT, pools, connections
        var baseline = Rss();
        await Send(requests[200..(Requests / 2)]);
        var half = Rss();
        await Send(requests[(Requests / 2)..]);
        var end = Rss();
        watch.Stop();

        output.WriteLine($"{Requests:N0} requests in {watch.Elapsed.TotalSeconds:N1} s; RSS {baseline / 1048576} MB after warm-up, {half / 1048576} MB at half, {end / 1048576} MB at the end");
        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} answers of 5xx or transport failures:\n{string.Join("\n", failures.DistinctBy(f => f[..f.IndexOf(')')]).Take(30))}");
        Assert.Equal(Requests, statuses.Values.Sum());
        Assert.False(_host.HasExited, "the host exited during the storm");
        (await client.GetAsync("/readyz")).EnsureSuccessStatusCode();
        await (await client.GetAsync("/api/webhooks")).Json(HttpStatusCode.OK);
        Assert.True(end < MaxRssBytes, $"RSS {end / 1048576} MB after the storm; the bound is {MaxRssBytes / 1048576} MB");
        Assert.True(end - half < MaxSecondHalfGrowthBytes, $"RSS grew {(end - half) / 1048576} MB over the second half of the storm; the bound is {MaxSecondHalfGrowthBytes / 1048576} MB");

        async Task Send(List<HttpRequestMessage> batch)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batch.Count)
                {
                    var request = batch[i];
                    var what = $"{request.Method} {request.RequestUri} ({request.Options.FirstOrDefault(o => o.Key == "mutation").Value})";
                    try
                    {
                        using var response = await client.SendAsync(request);
                        var text = await response.Content.ReadAsStringAsync();
                        statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                        if ((int)response.StatusCode >= 500) failures.Enqueue($"{(int)response.StatusCode} for {what}: {text[..Math.Min(300, text.Length)]}");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
                        failures.Enqueue($"transport failure for {what}: {ex.Message}");
                    }
                }
            }));
        }
    }

    private long Rss()
    {
        foreach (var line in File.ReadLines($"/proc/{_host.ProcessId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("no VmRSS");
    }

    private static readonly string[] Mutations =
        ["truncated", "wrong type", "null", "huge string", "deep nesting", "invalid utf-8", "lone surrogate", "wrong content type", "oversized array", "unknown field", "random bytes", "extreme number"];

    /// <summary>One malformed request: the route's valid body with one kind of damage.</summary>
    private static HttpRequestMessage Malformed(Route route, Random random)
    {
        var mutation = Mutations[random.Next(Mutations.Length)];
        var contentType = route.ContentType;
        byte[] body;
        switch (mutation)
        {
            case "truncated":
                var whole = Encoding.UTF8.GetBytes(route.Body);
                body = whole[..random.Next(0, whole.Length - 1)];
                break;
            case "invalid utf-8":
                var text = Encoding.UTF8.GetBytes(route.Body);
                var at = route.Body.IndexOf('"', random.Next(route.Body.Length / 2)) + 1;
                byte[][] bad = [[0xFF], [0xC3, 0x28], [0xE2, 0x28, 0xA1], [0xF0, 0x90, 0x28, 0xBC], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];
                body = [.. text[..at], .. bad[random.Next(bad.Length)], .. text[at..]];
                break;
            case "random bytes":
                body = new byte[random.Next(1, 4096)];
                random.NextBytes(body);
                break;
            case "wrong content type":
                body = Encoding.UTF8.GetBytes(route.Body);
                contentType = new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1", "" }[random.Next(6)];
                break;
            default:
                var node = JsonNode.Parse(route.Body)!;
                Damage(node, mutation, random);
                body = Encoding.UTF8.GetBytes(node.ToJsonString());
                if (mutation == "deep nesting") body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"DEEP\"", Nest(new[] { 33, 64, 1_000, 20_000 }[random.Next(4)])));
                if (mutation == "lone surrogate") body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("LONE", random.Next(2) == 0 ? "\\ud800" : "x\\udfffy"));
                break;
        }
        var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path) { Content = new ByteArrayContent(body) };
        if (route.Admin) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        if (contentType.Length > 0) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Options.Set(new HttpRequestOptionsKey<string>("mutation"), mutation);
        return request;
    }

    /// <summary>Damages one randomly chosen value (anywhere in the tree) of a JSON body.</summary>
    private static void Damage(JsonNode root, string mutation, Random random)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        JsonNode? Replacement() => mutation switch
        {
            "wrong type" => new JsonNode?[] { JsonValue.Create(42), JsonValue.Create("text"), JsonValue.Create(true), new JsonArray(1, 2), new JsonObject { ["a"] = 1 }, JsonValue.Create(1.5) }[random.Next(6)],
            "null" => null,
            "huge string" => JsonValue.Create(new string('x', new[] { 2_001, 70_000, 600_000, 1_500_000 }[random.Next(4)])),
            "deep nesting" => JsonValue.Create("DEEP"), // spliced in as text: the serializer itself refuses such depth
            "lone surrogate" => JsonValue.Create("LONE"),
            "oversized array" => new JsonArray([.. Enumerable.Range(0, new[] { 1_001, 10_001, 100_000 }[random.Next(3)]).Select(i => (JsonNode?)JsonValue.Create("v" + i))]),
            "extreme number" => new JsonNode?[] { JsonValue.Create(1e308), JsonValue.Create(-1), JsonValue.Create(long.MaxValue), JsonValue.Create(0), JsonValue.Create(-1e-300) }[random.Next(5)],
            _ => JsonValue.Create("x"),
        };
        if (mutation == "unknown field" || slots.Count == 0)
        {
            var target = root is JsonArray { Count: > 0 } array && array[0] is JsonObject first ? first : root as JsonObject;
            if (target is not null) target["f" + random.Next(1000)] = 1;
            else if (root is JsonArray list) list.Add(Replacement());
            return;
        }
        var (parent, key) = slots[random.Next(slots.Count)];
        if (parent is JsonObject obj) obj[(string)key] = Replacement();
        else ((JsonArray)parent)[(int)key] = Replacement();
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj.ToList())
            {
                slots.Add((obj, name));
                if (child is not null) Collect(child, slots);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                slots.Add((array, i));
                if (array[i] is { } child) Collect(child, slots);
            }
        }
    }

    private static string Nest(int depth) => new string('[', depth) + new string(']', depth);
}
