namespace OrleansSignals.Signals.Delivery;

/// <summary>What happened to one occurrence at one destination (GET /api/signals/{id}/deliveries).</summary>
public sealed record DeliveryView(
    Guid ConfigId,
    string DestinationType,
    string Destination,
    string Status,
    int Attempts,
    DateTimeOffset? DeliveredAt,
    string? Error,
    DateTimeOffset UpdatedAt);
