using System.Text.Json;

namespace OrleansSignals.Signals.Delivery;

/// <summary>Where occurrences of a signal type (or of every type: <c>*</c>) are delivered.</summary>
public sealed record DeliveryConfig(
    Guid Id,
    string SignalType,
    string DestinationType,
    JsonElement DestinationConfig,
    bool IsActive,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null);
