using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Enrichment;

/// <summary>A host whose providers may be on loopback (the test's provider server), with short retry delays.</summary>
public class EnrichmentFactory : SignalsFactory
{
    public string ExportRoot { get; } = Path.Combine(Path.GetTempPath(), "enrichment-exports-" + Guid.NewGuid().ToString("N")[..8]);

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Enrichment:AllowPrivateNetworks", "true"),
        new("Signals:Enrichment:RetryBaseDelay", "00:00:00.050"),
        new("Signals:Enrichment:MaxRetryDelay", "00:00:05"),
        new("Signals:Enrichment:MaxRetries", "3"),
        new("Signals:Exports:LocalRoot", ExportRoot),
        new("Signals:Exports:PollInterval", "00:00:00.200"),
    ];
}

/// <summary>A host with the default: provider URLs on private networks are refused.</summary>
public sealed class StrictEnrichmentFactory : SignalsFactory;
