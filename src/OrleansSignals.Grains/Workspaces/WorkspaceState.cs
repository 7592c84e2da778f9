using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Workspaces;

/// <summary>What a workspace grain persists (as JSON in <c>workspace_state.state</c>).</summary>
public sealed record WorkspaceState
{
    public List<InsightDefinition> Definitions { get; init; } = [];
    public HealthModel HealthModel { get; init; } = HealthModel.Default;
    public List<string> LifecycleEvents { get; init; } = [];

    public WorkspaceConfig ToConfig(string workspaceId, long version) => new(workspaceId, version, Definitions, HealthModel, LifecycleEvents);
}
