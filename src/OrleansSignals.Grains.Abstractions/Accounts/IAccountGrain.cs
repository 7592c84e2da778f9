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

    /// <summary>
    /// Applies whatever the account's journal holds beyond what this activation applied, and makes sure a checkpoint
    /// follows. For requests whose events were all stored before (a client's retry after a lost answer) and for the
    /// reminder's sweep of accounts whose checkpoint stays behind their journal.
    /// </summary>
    Task CatchUpAsync(CancellationToken cancellationToken = default);

    // The trait dictionaries are [Immutable]: a caller hands over a dictionary it built for this call and never touches
    // again (the API clones each value out of the request's document), so a call within one silo need not copy it.
    // Without the attribute, every reference to an account grain (one per request and account) built a
    // DictionaryCopier through reflection in its constructor, whether or not the call took traits.

    /// <summary>Replaces the account's traits (name, domain, plan, mrr...) and re-evaluates.</summary>
    Task<AccountView> SetTraitsAsync([Immutable] Dictionary<string, JsonElement> traits, CancellationToken cancellationToken = default);

    /// <summary>
    /// Merges a JSON merge patch into the account's traits (a null removes a trait) and re-evaluates, unless the result
    /// would break <see cref="TraitLimits"/>: then nothing changes and the problems are returned. Creates the account
    /// when it has never been seen, as <see cref="SetTraitsAsync"/> does.
    /// </summary>
    Task<TraitsUpdate> MergeTraitsAsync([Immutable] Dictionary<string, JsonElement> patch, CancellationToken cancellationToken = default);

    /// <summary>Re-evaluates time-based insights and the health score at the current time.</summary>
    Task ReevaluateAsync(CancellationToken cancellationToken = default);

    /// <summary>The account's state with every acknowledged event applied, or null when the account has never been seen.</summary>
    [ReadOnly]
    Task<AccountView?> GetStateAsync();
}
