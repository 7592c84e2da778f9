using System.Text.Json;

namespace OrleansSignals.Grains.Accounts;

/// <summary>An account's current state as the API shows it. Immutable: safe to read while a turn runs.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountView(
    string AccountId,
    int HealthScore,
    IReadOnlyDictionary<string, InsightStatus> Insights,
    IReadOnlyDictionary<string, DateTimeOffset> Lifecycle,
    IReadOnlyDictionary<string, JsonElement> Traits,
    DateTimeOffset UpdatedAt);

/// <summary>Whether an insight holds for the account, and since when it has held (or stopped holding).</summary>
[GenerateSerializer, Immutable]
public readonly record struct InsightStatus(bool Active, DateTimeOffset Since);
