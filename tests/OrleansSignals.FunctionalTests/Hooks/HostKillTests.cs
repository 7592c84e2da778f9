using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>Two real host processes deliver hooks; one is killed mid-delivery and nothing is lost.</summary>
public sealed class HostKillTests : IAsyncLifetime
{
    private const string AdminToken = "hooks-kill-admin-token-0123456789";
    private static readonly (string, string)[] Settings =
    [
        ("Signals:Hooks:AllowPrivateNetworks", "true"),
        ("Signals:Hooks:Timeout", "00:00:02"),
        ("Signals:Hooks:ClaimLease", "00:00:03"),
        ("Signals:Hooks:PollInterval", "00:00:00.2"),
        ("Signals:Hooks:RetrySchedule", "0s,500ms,1s,1s,1s"),
        ("Signals:Hooks:MaxConcurrencyPerEndpoint", "4"),
    ];

    private TestDatabase _database = null!;
    private HostProcess? _a;
    private HostProcess _b = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _a = HostProcess.Start(_database.ConnectionString, AdminToken, Settings);
        await _a.WaitReadyAsync(TimeSpan.FromSeconds(60));
        _b = HostProcess.Start(_database.ConnectionString, AdminToken, Settings);
        await _b.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Killing_a_host_mid_delivery_loses_no_message()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_b.Url) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Kill" })).Json(HttpStatusCode.Created);
        using var client = new HttpClient { BaseAddress = new Uri(_b.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("api_key").GetString());

        // Each request takes 300 ms: with 4 at a time per host, 60 messages keep both hosts busy for seconds.
        await using var receiver = await WebhookReceiver.StartAsync(async (_, _) => await Task.Delay(300));
        await (await client.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url, event_types = new[] { "lifecycle.event" } })).Json(HttpStatusCode.Created);
        await (await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "upgraded" })).Json(HttpStatusCode.OK);
        const int Count = 60;
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents([.. Enumerable.Range(0, Count).Select(i => Event($"u{i}", $"acc-{i}", "upgraded", now))])).Json(HttpStatusCode.Accepted);

        await HookTestHelpers.WaitFor(() => receiver.Requests.Count >= 6, "deliveries start");
        await _a!.DisposeAsync();  // killed: its in-flight attempts never finish
        _a = null;

        await HookTestHelpers.WaitFor(() => receiver.Requests.Select(r => r.Id).Distinct().Count() == Count, "every message arrives at least once", seconds: 60);
        var expected = await _database.ScalarAsync<long>("SELECT count(*) FROM history WHERE type = 'lifecycle.event'");
        Assert.Equal(Count, expected);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM webhook_messages WHERE status <> 'delivered' AND next_attempt_at < now() - interval '10 seconds'"));
    }
}
