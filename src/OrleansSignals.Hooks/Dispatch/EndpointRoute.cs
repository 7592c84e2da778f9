using OrleansSignals.Hooks.Endpoints;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>What the fan-out needs of an endpoint to decide whether an event goes to it.</summary>
public sealed record EndpointRoute(Guid Id, string WorkspaceId, IReadOnlyList<string> EventTypes, WebhookFilters? Filters);
