using System.Text.Json.Serialization;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Workspaces;

/// <summary>What a workspace grain persists (as JSON in <c>workspace_state.state</c>).</summary>
public sealed record WorkspaceState
{
    public List<InsightDefinition> Definitions { get; init; } = [];
    public HealthModel HealthModel { get; init; } = HealthModel.Default;
    public List<string> LifecycleEvents { get; init; } = [];

    /// <summary>Set on a change that every account must be evaluated again for: the save makes them all due. Never stored.</summary>
    [JsonIgnore]
    public bool ReevaluateAccounts { get; init; }

    public WorkspaceConfig ToConfig(string workspaceId, long version) => new(workspaceId, version, Definitions, HealthModel, LifecycleEvents);
}
