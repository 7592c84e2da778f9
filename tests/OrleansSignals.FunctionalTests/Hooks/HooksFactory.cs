using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>A host whose dispatcher may reach loopback receivers, with a short retry schedule (3 attempts) and timeout.</summary>
public sealed class HooksFactory : SignalsFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Hooks:AllowPrivateNetworks", "true"),
        new("Signals:Hooks:RetrySchedule", "0s,300ms,300ms"),
        new("Signals:Hooks:Jitter", "0"),
        new("Signals:Hooks:Timeout", "00:00:02"),
        new("Signals:Hooks:ClaimLease", "00:00:04"),
        new("Signals:Hooks:PollInterval", "00:00:00.1"),
        new("Signals:Hooks:CircuitFailureThreshold", "1000"),
    ];
}
