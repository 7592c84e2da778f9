namespace OrleansSignals.Cli;

/// <summary>A failure the user can act on; its message is printed as is and the command exits non-zero.</summary>
public class CliException(string message, Exception? inner = null) : Exception(message, inner);
