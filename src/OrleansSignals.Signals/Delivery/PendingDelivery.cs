using System.Text.Json;

namespace OrleansSignals.Signals.Delivery;

/// <summary>An occurrence waiting for one destination, with what the destination needs to know about it.</summary>
public sealed record PendingDelivery(
    Guid SignalId,
    Guid ConfigId,
    string DestinationType,
    JsonElement DestinationConfig,
    int Attempts,
    string SignalType,
    string AccountId,
    string? PersonId,
    double Value,
    DateTimeOffset DetectedAt,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    string? Domain);
