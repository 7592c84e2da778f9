namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// A message about to be created: <see cref="NextAttemptAt"/> is when it falls due, or the end of the lease
/// when the creating host sends it itself straight away (<see cref="Fanout"/>).
/// </summary>
public sealed record NewMessage(Guid Id, EndpointRoute Endpoint, HookEvent Event, string Payload, DateTimeOffset NextAttemptAt);
