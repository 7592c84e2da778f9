namespace OrleansSignals.Grains;

/// <summary>A grain could not make a change durable (or lost a race for it) and the call can be retried; the API answers 503.</summary>
[GenerateSerializer]
public sealed class GrainUnavailableException(string message) : Exception(message);
