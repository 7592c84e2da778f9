namespace OrleansSignals.Hooks.Dispatch;

/// <param name="Taken">Outbox rows taken, or -1 when another host holds the fan-out lock.</param>
/// <param name="Leased">Messages created already leased to this host: the caller sends them now.</param>
public sealed record FanoutResult(int Taken, IReadOnlyList<ClaimedMessage> Leased);
