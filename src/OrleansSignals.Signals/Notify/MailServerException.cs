namespace OrleansSignals.Signals.Notify;

/// <summary>The mail server could not take a digest now (unreachable, a 4xx, a timeout): the run is resumed later and sends it again.</summary>
public sealed class MailServerException(string message, Exception inner) : Exception(message, inner);
