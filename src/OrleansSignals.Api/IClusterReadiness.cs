namespace OrleansSignals.Api;

/// <summary>Whether this host is part of the Orleans cluster yet (a silo joined, or a client connected); <c>/readyz</c> asks.</summary>
public interface IClusterReadiness
{
    /// <summary>Null when ready; otherwise what is missing, in words an operator can act on.</summary>
    string? NotReadyReason { get; }
}
