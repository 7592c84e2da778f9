using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary><c>rate_limit_per_second</c>: deliveries to the endpoint are spread out to that rate.</summary>
public sealed class RateLimitTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task Deliveries_to_a_rate_limited_endpoint_never_exceed_its_rate()
    {
        const int rate = 4;
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "lifecycle.event" }, rate_limit_per_second = rate });
        for (var i = 0; i < 12; i++) await factory.WriteTransition(workspace, $"acc-{i}", "lifecycle.event", "upgraded", null, "2026-01-01T00:00:00.000Z", 50);

        await HookTestHelpers.WaitFor(() => receiver.Requests.Count == 12, "every message is delivered, at the endpoint's pace");
        var arrivals = receiver.Requests.Select(r => r.At).Order().ToList();
        // No one-second span at the receiver, wherever it starts, holds more than the rate (a token bucket refilled
        // each second let twice the rate through around a refill).
        var busiest = arrivals.Max(start => arrivals.Count(at => at >= start && at < start + TimeSpan.FromSeconds(1)));
        Assert.True(busiest <= rate, $"{busiest} deliveries within one second; the limit is {rate}/s");
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromSeconds(1.8), $"12 deliveries at 4/s took {(arrivals[^1] - arrivals[0]).TotalMilliseconds} ms");
    }
}
