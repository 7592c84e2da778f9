using System.Net;
using System.Net.Http.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

/// <summary>
/// An API-only host (role <c>api</c>: an Orleans client) in front of a grains host (a silo), as real processes: the
/// client finds the silo through the membership table and every request works through it.
/// </summary>
public sealed class ApiOnlyHostTests : IAsyncLifetime
{
    private const string AdminToken = "api-only-admin-token-0123456789";
    private TestDatabase _database = null!;
    private TcpProxy _proxy = null!;
    private HostProcess _silo = null!;
    private HostProcess _api = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // Both hosts reach PostgreSQL through a line the test can cut.
        var server = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        _proxy = new TcpProxy(server.Host!, server.Port);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port, Timeout = 3 }.ConnectionString;
        _silo = HostProcess.Start(connection, AdminToken, ("Signals:Roles", "grains,workers"));
        await _silo.WaitReadyAsync(TimeSpan.FromSeconds(60));
        _api = HostProcess.Start(connection, AdminToken, ("Signals:Roles", "api"));
        await _api.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _silo.DisposeAsync();
        await _proxy.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_api_only_host_serves_every_request_through_the_grains_host()
    {
        var admin = _api.Client(AdminToken);
        var key = (await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Thin API" })).Json(HttpStatusCode.Created)).GetProperty("api_key").GetString()!;
        var client = _api.Client(key);
        await client.Define(new { key = "busy", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 2 });
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("t1", "acme", "login", now), Event("t2", "acme", "login", now))).Json(HttpStatusCode.Accepted);
        Assert.True((await client.Account("acme")).InsightActive("busy"));
        await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "pro" })).Json(HttpStatusCode.OK);
        Assert.Equal("pro", (await client.Account("acme")).GetProperty("traits").GetProperty("plan").GetString());

        // The grains host serves no API routes: everything above went through the Orleans client.
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Client(key).GetAsync("/api/accounts/acme")).StatusCode);
        // An API-only host runs no silo, so it has no dashboard; the silo has one, for the operator only.
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client(AdminToken).GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _silo.Client(key).GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _silo.Client(AdminToken).GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task A_database_failure_inside_a_grain_reaches_the_api_only_host_as_503_and_active_accounts_still_read()
    {
        var admin = _api.Client(AdminToken);
        var key = (await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Outage" })).Json(HttpStatusCode.Created)).GetProperty("api_key").GetString()!;
        var client = _api.Client(key);
        await (await client.PostEvents(Event("o1", "acme", "login", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);

        _proxy.Cut();
        // The trait write fails in the silo's grain; the API host hears of it across the cluster and answers 503.
        var traits = await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "pro" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, traits.StatusCode);
        Assert.True(traits.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostEvents(Event("o2", "acme", "login", DateTimeOffset.UtcNow))).StatusCode);
    }
}
