using OrleansSignals.Activation;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Persistence;

namespace OrleansSignals.Grains.Workspaces;

public sealed class WorkspaceGrain(WorkspaceStore store) : Grain, IWorkspaceGrain
{
    private WorkspaceState _state = new();
    private long _etag;
    private WorkspaceConfig _config = WorkspaceConfig.Empty("");

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public Task<WorkspaceConfig> GetConfigAsync() => Task.FromResult(_config);

    public Task<WorkspaceConfig> UpsertDefinitionAsync(InsightDefinition definition) =>
        ChangeAsync(s => s with { Definitions = [.. s.Definitions.Where(d => d.Key != definition.Key), definition] }, reevaluate: true);

    public async Task<bool> DeleteDefinitionAsync(string key)
    {
        if (_state.Definitions.All(d => d.Key != key)) return false;
        await ChangeAsync(s => s with { Definitions = s.Definitions.Where(d => d.Key != key).ToList() }, reevaluate: true);
        return true;
    }

    public Task<WorkspaceConfig> SetHealthModelAsync(HealthModel model) => ChangeAsync(s => s with { HealthModel = model }, reevaluate: true);

    public Task<WorkspaceConfig> SetLifecycleEventsAsync(IReadOnlyList<string> events) =>
        ChangeAsync(s => s with { LifecycleEvents = events.Distinct().ToList() }, reevaluate: false);

    private async Task<WorkspaceConfig> ChangeAsync(Func<WorkspaceState, WorkspaceState> change, bool reevaluate)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var next = change(_state);
            if (await store.SaveAsync(GrainKey, next, _etag, reevaluate, CancellationToken.None) is { } etag)
            {
                Publish(next, etag);
                return _config;
            }
            // Another silo saved first: start again from what it saved.
            await ReloadAsync(CancellationToken.None);
        }
        throw new GrainContentionException($"Workspace {GrainKey} is being changed concurrently; try again.");
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(GrainKey, cancellationToken);
        Publish(loaded?.State ?? new WorkspaceState(), loaded?.Etag ?? 0);
    }

    private void Publish(WorkspaceState state, long etag)
    {
        _state = state;
        _etag = etag;
        _config = state.ToConfig(GrainKey, etag);
    }
}
