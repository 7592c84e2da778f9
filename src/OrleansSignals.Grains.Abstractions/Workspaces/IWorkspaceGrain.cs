using OrleansSignals.Activation;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Workspaces;

/// <summary>A workspace's configuration: insight definitions, health model, lifecycle events. Key: the workspace id.</summary>
public interface IWorkspaceGrain : IGrainWithStringKey
{
    /// <summary>The current configuration; every change bumps its version.</summary>
    [AlwaysInterleave]
    Task<WorkspaceConfig> GetConfigAsync();

    /// <summary>Creates or replaces a definition; existing accounts are re-evaluated.</summary>
    Task<WorkspaceConfig> UpsertDefinitionAsync(InsightDefinition definition);

    /// <summary>Removes a definition; false when there was none with that key.</summary>
    Task<bool> DeleteDefinitionAsync(string key);

    Task<WorkspaceConfig> SetHealthModelAsync(HealthModel model);

    Task<WorkspaceConfig> SetLifecycleEventsAsync(IReadOnlyList<string> events);
}
