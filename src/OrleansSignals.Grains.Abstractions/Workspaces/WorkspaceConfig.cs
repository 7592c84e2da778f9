using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Workspaces;

/// <summary>Everything an account turn needs to know about its workspace. Immutable.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkspaceConfig(
    string WorkspaceId,
    long Version,
    IReadOnlyList<InsightDefinition> Definitions,
    HealthModel HealthModel,
    IReadOnlyList<string> LifecycleEvents)
{
    public static WorkspaceConfig Empty(string workspaceId) => new(workspaceId, 0, [], HealthModel.Default, []);
}
