using System.Text.Json;
using OrleansSignals.Activation;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// One customer account of one workspace. Key: <see cref="AccountKey"/> ("{workspace}/{account}").
/// Every turn that changes state commits state, history and outbox rows in one transaction.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Stores the events (skipping ids already stored) and applies them; returns how many were new.</summary>
    Task<int> ApplyEventsAsync(IReadOnlyList<IncomingEvent> events);

    /// <summary>Replaces the account's traits (name, domain, plan, mrr...) and re-evaluates.</summary>
    Task<AccountView> SetTraitsAsync(IReadOnlyDictionary<string, JsonElement> traits);

    /// <summary>Re-evaluates time-based insights and the health score at the current time.</summary>
    Task ReevaluateAsync();

    /// <summary>The last committed state, or null when the account has never been seen.</summary>
    [AlwaysInterleave]
    Task<AccountView?> GetStateAsync();
}
