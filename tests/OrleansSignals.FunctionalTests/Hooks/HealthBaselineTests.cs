using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>
/// Health thresholds are measured from a per-(endpoint, account) baseline, so a slide recorded in steps of
/// the health model's min_change (5 by default) still crosses a larger threshold.
/// </summary>
public sealed class HealthBaselineTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task Four_drops_of_5_send_one_drops_15_hook_at_the_step_that_crosses_15()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var drops = await WebhookReceiver.StartAsync();
        await using var rises = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = drops.Url, event_types = new[] { "health_score.changed" }, filters = new { health_drop_gte = 15 } });
        await client.CreateEndpoint(new { url = rises.Url, event_types = new[] { "health_score.changed" }, filters = new { health_rise_gte = 15 } });

        // As the grain records them with min_change 5: the first score, then four moves of 5 points.
        var steps = new List<Guid>();
        foreach (var (old, score) in new (string?, int)[] { (null, 80), ("80", 75), ("75", 70), ("70", 65), ("65", 60) })
        {
            steps.Add(await factory.WriteTransition(workspace, "acme", "health_score.changed", null, old, score.ToString(), score));
            await factory.Database.HooksSettledAsync(workspace);  // separate fan-outs: the baseline is read back from the database each time
        }
        await HookTestHelpers.WaitFor(() => !drops.Requests.IsEmpty, "the slide crosses 15 points");
        await factory.Database.HooksSettledAsync(workspace);
        var hook = Assert.Single(drops.Requests);
        Assert.Equal(steps[3].ToString(), hook.Id);  // 80 → 65: the third drop
        Assert.Equal(65, hook.Json.GetProperty("data").GetProperty("new_value").GetInt32());
        Assert.Empty(rises.Requests);
        Assert.Equal(65, await factory.Database.ScalarAsync<int>(
            "SELECT b.score FROM webhook_health_baselines b JOIN webhook_endpoints e ON e.id = b.endpoint_id WHERE e.url = $1 AND b.account_id = 'acme'", drops.Url));
    }

    [Fact]
    public async Task A_drop_hook_measures_from_the_latest_peak_and_a_rise_hook_from_the_latest_low()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var drops = await WebhookReceiver.StartAsync();
        await using var rises = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = drops.Url, event_types = new[] { "health_score.changed" }, filters = new { health_drop_gte = 15 } });
        await client.CreateEndpoint(new { url = rises.Url, event_types = new[] { "health_score.changed" }, filters = new { health_rise_gte = 15 } });

        // 50 → 40 → 45 → 50 → 55 (rise of 15 from the low of 40) → 60 → 50 → 45 (drop of 15 from the peak of 60).
        var steps = new List<Guid>();
        foreach (var (old, score) in new[] { (50, 40), (40, 45), (45, 50), (50, 55), (55, 60), (60, 50), (50, 45) })
        {
            steps.Add(await factory.WriteTransition(workspace, "acme", "health_score.changed", null, old.ToString(), score.ToString(), score));
            await factory.Database.HooksSettledAsync(workspace);
        }
        await HookTestHelpers.WaitFor(() => !drops.Requests.IsEmpty && !rises.Requests.IsEmpty, "both hooks fire");
        await factory.Database.HooksSettledAsync(workspace);
        Assert.Equal([steps[3].ToString()], rises.Requests.Select(r => r.Id));
        Assert.Equal([steps[6].ToString()], drops.Requests.Select(r => r.Id));
    }
}
