using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>
/// A host whose circuit opens after 3 consecutive failures for 2 s, one attempt in flight per endpoint, and a
/// schedule of ten quick attempts: without the circuit a failing endpoint would get an attempt every 100 ms.
/// </summary>
public sealed class CircuitFactory : SignalsFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Hooks:AllowPrivateNetworks", "true"),
        new("Signals:Hooks:RetrySchedule", "0s,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms"),
        new("Signals:Hooks:Jitter", "0"),
        new("Signals:Hooks:Timeout", "00:00:02"),
        new("Signals:Hooks:ClaimLease", "00:00:04"),
        new("Signals:Hooks:PollInterval", "00:00:00.1"),
        new("Signals:Hooks:CircuitFailureThreshold", "3"),
        new("Signals:Hooks:CircuitBreak", "00:00:02"),
        new("Signals:Hooks:MaxConcurrencyPerEndpoint", "1"),
    ];
}
