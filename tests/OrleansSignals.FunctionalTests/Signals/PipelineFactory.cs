using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// A host whose pipeline grain ticks often, whose dispatcher may reach loopback receivers, and whose Attio is a
/// <see cref="FakeAttio"/> on loopback (10 requests per second, so a burst meets the limit within a test).
/// </summary>
public sealed class PipelineFactory : SignalsFactory
{
    public FakeAttio Attio { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Attio = await FakeAttio.StartAsync(limit: 10, window: TimeSpan.FromSeconds(1));
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Attio.DisposeAsync();
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
        new("Signals:Exports:LocalRoot", Path.Combine(Path.GetTempPath(), "signals-exports-" + Guid.NewGuid().ToString("N")[..8])),
        new("Signals:Exports:PollInterval", "00:00:00.200"),
    ];
}
