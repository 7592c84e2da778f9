namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// The guard refused every address of a destination. Permanent: the same URL is refused on every attempt,
/// so the message is dead-lettered at once rather than retried on the schedule.
/// </summary>
public sealed class DestinationRefusedException(string message) : IOException(message);
