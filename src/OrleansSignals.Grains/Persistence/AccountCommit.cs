using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Persistence;

/// <summary>What one account turn writes: its new state (if the stored etag is still <see cref="ExpectedEtag"/>), the new events and the transitions.</summary>
/// <param name="ExpectedEtag">The etag the turn started from; 0 for an account not stored yet.</param>
public sealed record AccountCommit(
    string WorkspaceId,
    string AccountId,
    long ExpectedEtag,
    AccountState State,
    IReadOnlyList<IncomingEvent> Events,
    IReadOnlyList<Transition> Transitions)
{
    /// <summary>The active insight keys, comma-separated (the <c>active_insights</c> column).</summary>
    public string ActiveInsights { get; } = string.Join(',', State.Insights.Where(p => p.Value.Active).Select(p => p.Key));
}

public sealed record LoadedAccount(AccountState State, long Etag);
