namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// An account's persisted state: the fold of its journal up to <see cref="Position"/> (plus the turns without
/// events before it). Written by <see cref="Persistence.AccountCheckpointStorage"/> to the <c>accounts</c> table.
/// </summary>
public sealed class AccountCheckpoint
{
    public AccountState? State { get; set; }

    public long Position { get; set; }

    /// <summary>
    /// Transitions of turns that had no events (traits, time): their cause is not in the journal, so they are
    /// written in the checkpoint's own transaction and a crash can never replay them differently. Cleared once written.
    /// </summary>
    public List<Transition> Transitions { get; } = [];

    /// <summary>The traits a traits turn changed, written with the checkpoint like <see cref="Transitions"/>. Cleared once written.</summary>
    public List<TraitChange> TraitChanges { get; } = [];
}
