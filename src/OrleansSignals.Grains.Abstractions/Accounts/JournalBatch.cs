namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// Events of one account that one request appended to the journal: <see cref="Events"/>[i] is at position
/// <see cref="FirstPosition"/> + i. <see cref="ReceivedAt"/> is the request's time, the turn's clock (also on replay).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JournalBatch(long FirstPosition, DateTimeOffset ReceivedAt, IReadOnlyList<IncomingEvent> Events)
{
    public long LastPosition => FirstPosition + Events.Count - 1;
}
