namespace OrleansSignals.Cli.Api;

/// <summary>The host did not answer, or answered something that is not the API.</summary>
public sealed class HostUnreachableException(string message, Exception inner) : CliException(message, inner);
