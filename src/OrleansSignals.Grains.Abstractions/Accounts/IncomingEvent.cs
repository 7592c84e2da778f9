namespace OrleansSignals.Grains.Accounts;

/// <summary>A validated product event on its way into an account.</summary>
/// <param name="PropertiesJson">The event's properties object as received (JSON text), or null.</param>
/// <param name="NumericProperties">The properties whose values are numbers, for metric and anomaly insights.</param>
[GenerateSerializer, Immutable]
public sealed record IncomingEvent(
    string EventId,
    string AccountId,
    string? PersonId,
    string Event,
    DateTimeOffset Timestamp,
    string? PropertiesJson,
    IReadOnlyDictionary<string, double>? NumericProperties);
