using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// A host whose pipeline grain ticks often, whose dispatcher may reach loopback receivers, and whose Attio is a
/// <see cref="FakeAttio"/> on loopback (10 requests per second, so a burst meets the limit within a test). PostHog hosts
/// may be loopback (a <see cref="FakePostHog"/>), with a 2 s query timeout, pages of 4 rows and cohort batches of 2 persons,
/// so timeouts, paging and batching show within a test.
/// </summary>
public sealed class PipelineFactory : SignalsFactory
{
    public FakeAttio Attio { get; private set; } = null!;

    public FakePostHog PostHog { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Attio = await FakeAttio.StartAsync(limit: 10, window: TimeSpan.FromSeconds(1));
        PostHog = await FakePostHog.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Attio.DisposeAsync();
        await PostHog.DisposeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Hooks:AllowPrivateNetworks", "true"),
        new("Signals:Hooks:RetrySchedule", "0s,300ms,300ms"),
        new("Signals:Hooks:PollInterval", "00:00:00.1"),
        new("Signals:Pipeline:TickInterval", "00:00:00.200"),
        new("Signals:Pipeline:Lease", "00:00:05"),
        new("Signals:Attio:BaseUrl", Attio.BaseUrl),
        new("Signals:Attio:RateLimit", Attio.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Signals:Attio:RateWindow", "00:00:01"),
        new("Signals:PostHog:AllowLoopback", "true"),
        new("Signals:PostHog:QueryTimeout", "00:00:02"),
        new("Signals:PostHog:MaxTries", "3"),
        new("Signals:PostHog:PageSize", "4"),
        new("Signals:PostHog:CohortBatchSize", "2"),
        new("Signals:Exports:LocalRoot", Path.Combine(Path.GetTempPath(), "signals-exports-" + Guid.NewGuid().ToString("N")[..8])),
        new("Signals:Exports:PollInterval", "00:00:00.200"),
    ];
}
