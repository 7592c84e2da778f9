using Orleans.Concurrency;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Workspaces;

/// <summary>A workspace's configuration: insight definitions, health model, lifecycle events. Key: the workspace id.</summary>
public interface IWorkspaceGrain : IGrainWithStringKey
{
    /// <summary>The current configuration; every change bumps its version. Interleaves: account turns ask for it while a change is saved.</summary>
    [AlwaysInterleave]
    Task<WorkspaceConfig> GetConfigAsync();

    /// <summary>Creates or replaces a definition; existing accounts are re-evaluated.</summary>
    Task<WorkspaceConfig> UpsertDefinitionAsync(InsightDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Removes a definition; false when there was none with that key.</summary>
    Task<bool> DeleteDefinitionAsync(string key, CancellationToken cancellationToken = default);

    Task<WorkspaceConfig> SetHealthModelAsync(HealthModel model, CancellationToken cancellationToken = default);

    Task<WorkspaceConfig> SetLifecycleEventsAsync(IReadOnlyList<string> events, CancellationToken cancellationToken = default);
}
