using System.Net;
using System.Text.RegularExpressions;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Operations;

/// <summary>A real host process, as an operator reads its output: timestamps on every line, an access log line per failed or slow request, OTLP traces.</summary>
public sealed partial class LogTests : IAsyncLifetime
{
    private const string AdminToken = "log-test-admin-token-0123456789";
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Every_line_has_a_utc_timestamp_a_failed_request_an_access_log_line_and_traces_go_to_the_otlp_endpoint()
    {
        await using var collector = await WebhookReceiver.StartAsync();
        await using var host = HostProcess.Start(_database.ConnectionString, AdminToken,
            ("Signals:Telemetry:OtlpEndpoint", collector.Url.Replace("/hook", "/v1/traces")),
            ("Signals:Telemetry:OtlpProtocol", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "500"));
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var admin = host.Client(AdminToken);
        var created = await (await admin.PostAsync("/api/workspaces", System.Net.Http.Json.JsonContent.Create(new { name = "logs" }))).Json(HttpStatusCode.Created);
        var workspace = created.GetProperty("id").GetString()!;
        var client = host.Client(created.GetProperty("api_key").GetString()!);
        var problem = await (await client.GetAsync("/api/accounts/nobody")).Json(HttpStatusCode.NotFound);
        var traceId = problem.GetProperty("trace_id").GetString()!;

        await Infrastructure.Api.Eventually(() => Task.FromResult(host.Log.Contains("GET /api/accounts/nobody")), TimeSpan.FromSeconds(10), "the access log line");
        var line = host.Log.Split('\n').Single(l => l.Contains("GET /api/accounts/nobody"));
        Assert.Matches(Timestamp(), line);
        Assert.Contains("OrleansSignals.AccessLog", line);
        Assert.Contains("route /api/accounts/{id} status 404 in ", line);
        Assert.Contains($"workspace {workspace} trace {traceId}", line); // the error's trace_id finds its line
        // A quick success is not logged by default (Signals:Telemetry:AccessLogSlowRequest, 500 ms).
        Assert.DoesNotContain(host.Log.Split('\n'), l => l.Contains("POST /api/workspaces route"));

        // Every log entry starts with its UTC time (continuation lines of an exception are indented).
        var entries = host.Log.Split('\n').Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, l => Assert.Matches(Timestamp(), l));

        // Traces: the OTLP exporter posts protobuf batches to the configured endpoint.
        await Hooks.HookTestHelpers.WaitFor(() => collector.Requests.Any(r => r.Headers["content-type"].StartsWith("application/x-protobuf")), "a trace batch over OTLP", 30);
    }

    [Fact]
    public async Task With_no_slow_threshold_every_request_gets_an_access_log_line()
    {
        await using var host = HostProcess.Start(_database.ConnectionString, AdminToken, ("Signals:Telemetry:AccessLogSlowRequest", "00:00:00"));
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var admin = host.Client(AdminToken);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/workspaces", System.Net.Http.Json.JsonContent.Create(new { name = "logs" }))).StatusCode);

        await Infrastructure.Api.Eventually(() => Task.FromResult(host.Log.Contains("POST /api/workspaces route /api/workspaces status 201")), TimeSpan.FromSeconds(10), "the access log line of a success");
        Assert.Contains(host.Log.Split('\n'), l => l.Contains("POST /api/workspaces route /api/workspaces status 201") && l.Contains(" workspace - trace "));
    }

    [Theory]
    [InlineData(200, 10, 500, false)]
    [InlineData(200, 500, 500, true)]
    [InlineData(302, 900, 500, true)]
    [InlineData(404, 1, 500, true)]
    [InlineData(503, 0, 500, true)]
    [InlineData(204, 0, 0, true)]
    public void Failed_requests_are_logged_always_successes_when_slow(int status, int elapsedMs, int slowMs, bool logged) =>
        Assert.Equal(logged, Api.Telemetry.AccessLog.Logs(status, TimeSpan.FromMilliseconds(elapsedMs), TimeSpan.FromMilliseconds(slowMs)));

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ")]
    private static partial Regex Timestamp();
}
