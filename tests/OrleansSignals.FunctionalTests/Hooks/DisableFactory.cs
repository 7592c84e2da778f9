using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>A host that disables an endpoint after 2 s without a 2xx (instead of 5 days), retrying every 300 ms meanwhile.</summary>
public sealed class DisableFactory : SignalsFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Hooks:AllowPrivateNetworks", "true"),
        new("Signals:Hooks:RetrySchedule", "0s,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms"),
        new("Signals:Hooks:Jitter", "0"),
        new("Signals:Hooks:Timeout", "00:00:02"),
        new("Signals:Hooks:ClaimLease", "00:00:04"),
        new("Signals:Hooks:PollInterval", "00:00:00.1"),
        new("Signals:Hooks:CircuitFailureThreshold", "1000"),
        new("Signals:Hooks:DisableAfter", "00:00:02"),
    ];
}
