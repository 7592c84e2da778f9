using System.Text.Json;
using Orleans.Concurrency;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// One customer account of one workspace. Key: <see cref="AccountKey"/> ("{workspace}/{account}").
/// Its state is a fold of its journal (the events table) from its last checkpoint; see docs/decisions.md ("Account state").
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies events already stored in the account's journal (the caller appended them) and returns once the
    /// turn's transitions are durable. Positions the account has applied already are skipped, so a retry is harmless.
    /// </summary>
    Task ApplyAsync(JournalBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Replaces the account's traits (name, domain, plan, mrr...) and re-evaluates.</summary>
    Task<AccountView> SetTraitsAsync(Dictionary<string, JsonElement> traits, CancellationToken cancellationToken = default);

    /// <summary>Re-evaluates time-based insights and the health score at the current time.</summary>
    Task ReevaluateAsync(CancellationToken cancellationToken = default);

    /// <summary>The account's state with every acknowledged event applied, or null when the account has never been seen.</summary>
    [ReadOnly]
    Task<AccountView?> GetStateAsync();
}
