using System.Net;
using System.Net.Http.Json;
using Npgsql;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

public sealed class OperationalTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    [Fact]
    public async Task Health_readiness_and_the_openapi_document_are_served()
    {
        var client = factory.CreateClient();
        Assert.Equal("ok", (await (await client.GetAsync("/healthz")).Json(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("ready", (await (await client.GetAsync("/readyz")).Json(HttpStatusCode.OK)).GetProperty("status").GetString());
        var openapi = await (await client.GetAsync("/openapi/v1.json")).Json(HttpStatusCode.OK);
        var paths = openapi.GetProperty("paths");
        foreach (var path in new[] { "/api/events", "/api/accounts/{id}", "/api/accounts", "/api/insights/definitions", "/api/health-model", "/api/workspaces" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");

        // Generated clients learn that a bearer token is needed, and which event fields they may leave out.
        Assert.Equal("bearer", openapi.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.True(openapi.GetProperty("security")[0].TryGetProperty("bearer", out _));
        var required = openapi.GetProperty("components").GetProperty("schemas").GetProperty("IncomingEventDocument").GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order();
        Assert.Equal(["account_id", "event", "event_id", "timestamp"], required);
        Assert.Equal("Events", paths.GetProperty("/api/events").GetProperty("post").GetProperty("tags")[0].GetString());
        // Numbers are numbers on the wire (strings holding numbers are refused), and the document says so.
        Assert.Equal("integer", openapi.GetProperty("components").GetProperty("schemas").GetProperty("IngestResult").GetProperty("properties").GetProperty("accepted").GetProperty("type").GetString());
        // A schedule's body offers no range (the API refuses one there); an export's does.
        var schemas = openapi.GetProperty("components").GetProperty("schemas");
        Assert.False(schemas.GetProperty("ScheduleRequest").GetProperty("properties").TryGetProperty("from", out _));
        Assert.True(schemas.GetProperty("ExportRequest").GetProperty("properties").TryGetProperty("from", out _));
        Assert.True(paths.TryGetProperty("/api/workspace/api-keys/{id}", out _));
    }
}

/// <summary>A host with a low per-key rate limit.</summary>
public sealed class RateLimitedFactory : SignalsFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:RateLimit:PermitsPerSecond", "1"),
        new("Signals:RateLimit:Burst", "5"),
        new("Signals:RateLimit:FailedAuthPerSecond", "1"),
        new("Signals:RateLimit:FailedAuthBurst", "5"),
    ];
}

public sealed class RateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var (greedy, _) = await factory.CreateWorkspaceAsync("Greedy");
        var (polite, _) = await factory.CreateWorkspaceAsync("Polite");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) statuses.Add((await greedy.GetAsync("/api/accounts")).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var limited = await greedy.GetAsync("/api/accounts");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", (await limited.Json(HttpStatusCode.TooManyRequests)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await polite.GetAsync("/api/accounts")).StatusCode);
    }

    [Fact]
    public async Task Guessing_keys_is_rate_limited_too()
    {
        var guesser = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/accounts");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", $"sk_guess_{i}");
            statuses.Add((await guesser.SendAsync(request)).StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}

/// <summary>A host that reaches PostgreSQL through a proxy the test can cut.</summary>
public sealed class ProxiedFactory : SignalsFactory
{
    public TcpProxy Proxy { get; private set; } = null!;

    protected override string HostConnectionString =>
        new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = Proxy.Port, Timeout = 3, CommandTimeout = 5 }.ConnectionString;

    public override async Task InitializeAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        Proxy = new TcpProxy(server.Host!, server.Port);
        await base.InitializeAsync();
    }
}

public sealed class DatabaseOutageTests(ProxiedFactory factory) : IClassFixture<ProxiedFactory>
{
    [Fact]
    public async Task Without_postgres_requests_get_503_and_no_acknowledged_event_is_lost()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("before", "acme", "login", now))).Json(HttpStatusCode.Accepted);

        factory.Proxy.Cut();
        NpgsqlConnection.ClearAllPools();
        var during = await client.PostEvents(Event("during", "acme", "login", now));
        var problem = await during.Json(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.Contains("retry", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/accounts?limit=5")).StatusCode);

        factory.Proxy.Restore();
        await Eventually(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, because: "the host recovers when PostgreSQL is back");
        // The client retries the refused batch, as the 503 told it to.
        var retried = await (await client.PostEvents(Event("during", "acme", "login", now))).Json(HttpStatusCode.Accepted);
        Assert.Equal(1, retried.GetProperty("accepted").GetInt32());
        Assert.Equal(2L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM events WHERE workspace_id = $1", workspace));
        Assert.Equal(2L, await factory.Database.CheckpointedEventCountAsync(workspace, "login", 2L));
    }
}

public sealed class ShutdownTests
{
    [Fact]
    public async Task A_host_stops_promptly_on_SIGTERM_while_postgres_is_unreachable()
    {
        // Operators restart hosts during database outages: shutdown must not wait for the database.
        await using var database = await TestDatabase.CreateAsync();
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        await using var proxy = new TcpProxy(server.Host!, server.Port);
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var host = HostProcess.Start(connection, "shutdown-admin-token-0123456789", ("Signals:Reminders:SweepInterval", "00:00:01"));
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60));

        proxy.Cut();
        NpgsqlConnection.ClearAllPools();
        // The host has noticed: /readyz reports the database down (the sweep, hooks and listeners fail alike).
        using (var probe = new HttpClient { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromSeconds(10) })
            await Eventually(async () => (await probe.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30), "/readyz reports the database unreachable");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopped = await host.TerminateAsync(TimeSpan.FromSeconds(45));
        if (Environment.GetEnvironmentVariable("SHUTDOWN_LOG") is { } file) await File.WriteAllTextAsync(file, host.Log);
        Assert.True(stopped, $"the host did not exit within 45 s of SIGTERM:\n{host.Log[^Math.Min(host.Log.Length, 4000)..]}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the host took {clock.Elapsed.TotalSeconds:F1} s to stop");
    }
}
