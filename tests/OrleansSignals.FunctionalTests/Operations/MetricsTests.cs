using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using OrleansSignals.FunctionalTests.Hooks;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Operations;

/// <summary>A host whose hooks may reach loopback receivers (the narrow setting the demo uses).</summary>
public sealed class MetricsFactory : SignalsFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Hooks:AllowLoopback", "true"),
        new("Signals:Hooks:PollInterval", "00:00:00.1"),
    ];
}

/// <summary>/metrics in the Prometheus text format: the operator token guards it, and the counters move.</summary>
public sealed partial class MetricsTests(MetricsFactory factory) : IClassFixture<MetricsFactory>
{
    [Fact]
    public async Task Metrics_need_the_operator_token()
    {
        var anonymous = factory.CreateClient();
        var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Signals:AdminToken", await response.Content.ReadAsStringAsync());
        var (workspaceClient, _) = await factory.CreateWorkspaceAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await workspaceClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Operator().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task After_ingest_and_a_delivery_the_counters_an_operator_watches_have_moved()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        var before = await ScrapeAsync();

        await client.TriggerPowerUser("acme", "m1");
        var batch = Enumerable.Range(0, 20).Select(i => Infrastructure.Api.Event($"m-{i}", $"acct-{i % 5}", "page_view", DateTimeOffset.UtcNow)).ToArray();
        await (await client.PostEvents(batch)).Json(HttpStatusCode.Accepted);
        await HookTestHelpers.WaitFor(() => !receiver.Requests.IsEmpty, "the insight is pushed");

        string after = "";
        var missing = new List<string>();
        await Infrastructure.Api.Eventually(async () =>
        {
            after = await ScrapeAsync();
            missing.Clear();
            if (!((Value(after, "signals_hooks_deliveries_total", "result=\"delivered\"") ?? 0) > (Value(before, "signals_hooks_deliveries_total", "result=\"delivered\"") ?? 0)))
                missing.Add("a delivered attempt in signals_hooks_deliveries_total");
            if (Value(after, "signals_outbox_rows") is null) missing.Add("signals_outbox_rows (the outbox probe)");
            // ASP.NET Core records a request's duration as the response completes, which can be just after the
            // client has read it: wait for both POSTs rather than race the second.
            if (!(Value(after, "http_server_request_duration_seconds_count", "http_route=\"/api/events\"", "http_response_status_code=\"202\"") >= 2))
                missing.Add("two 202s of /api/events in http_server_request_duration_seconds_count");
            return missing.Count == 0;
        }, TimeSpan.FromSeconds(60), () => $"/metrics still lacks {string.Join("; ", missing)}. Relevant lines:\n"
            + string.Join("\n", after.Split('\n').Where(l => l.StartsWith("signals_hooks_deliveries", StringComparison.Ordinal)
                || l.StartsWith("signals_outbox", StringComparison.Ordinal) || (l.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal) && l.Contains("/api/events", StringComparison.Ordinal)))));

        Assert.True(Value(after, "signals_events_ingested_total") - (Value(before, "signals_events_ingested_total") ?? 0) >= 21, "21 events ingested");
        // HTTP requests by route and status (ASP.NET Core's own meter).
        Assert.True(Value(after, "http_server_request_duration_seconds_count", "http_route=\"/api/events\"", "http_response_status_code=\"202\"") >= 2);
        // Hook latency histogram; outbox lag gauge; Orleans's meters; the PostgreSQL pool (Npgsql's meter); the runtime.
        Assert.NotNull(Value(after, "signals_hooks_delivery_duration_seconds_bucket", "result=\"delivered\""));
        Assert.NotNull(Value(after, "signals_outbox_lag_seconds"));
        Assert.Matches(@"(?m)^orleans_\w+", after);
        Assert.Matches(@"(?m)^db_client_connection\w*", after);
        Assert.Matches(@"(?m)^dotnet_gc_\w+", after);
    }

    private HttpClient Operator()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignalsFactory.AdminToken);
        return client;
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await Operator().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels contain every one of <paramref name="labels"/>; null when it has none.</summary>
    private static double? Value(string text, string name, params string[] labels)
    {
        double? sum = null;
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value != name || !labels.All(m.Groups["labels"].Value.Contains)) continue;
            sum = (sum ?? 0) + double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return sum;
    }

    [GeneratedRegex(@"(?m)^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ \n]+)")]
    private static partial Regex Sample();
}
