using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Persistence;

namespace OrleansSignals.Grains.Workspaces;

public sealed class WorkspaceGrain(WorkspaceStore store) : Grain, IWorkspaceGrain
{
    private WorkspaceState _state = new();
    private long _etag;
    private WorkspaceConfig _config = WorkspaceConfig.Empty("");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        // A workspace in use has its reminder, so its time-based insights flip without new events.
        await GrainFactory.GetGrain<IDueAccountsGrain>(this.GetPrimaryKeyString()).StartAsync();
    }

    public Task<WorkspaceConfig> GetConfigAsync() => Task.FromResult(_config);

    public Task<WorkspaceConfig> UpsertDefinitionAsync(InsightDefinition definition, CancellationToken cancellationToken) =>
        ChangeAsync(s => s with { Definitions = [.. s.Definitions.Where(d => d.Key != definition.Key), definition] }, reevaluate: true, cancellationToken);

    public async Task<bool> DeleteDefinitionAsync(string key, CancellationToken cancellationToken)
    {
        if (_state.Definitions.All(d => d.Key != key)) return false;
        await ChangeAsync(s => s with { Definitions = s.Definitions.Where(d => d.Key != key).ToList() }, reevaluate: true, cancellationToken);
        return true;
    }

    public Task<WorkspaceConfig> SetHealthModelAsync(HealthModel model, CancellationToken cancellationToken) =>
        ChangeAsync(s => s with { HealthModel = model }, reevaluate: true, cancellationToken);

    public Task<WorkspaceConfig> SetLifecycleEventsAsync(IReadOnlyList<string> events, CancellationToken cancellationToken) =>
        ChangeAsync(s => s with { LifecycleEvents = events.Distinct().ToList() }, reevaluate: false, cancellationToken);

    private async Task<WorkspaceConfig> ChangeAsync(Func<WorkspaceState, WorkspaceState> change, bool reevaluate, CancellationToken cancellationToken)
    {
        var next = change(_state);
        if (await store.SaveAsync(this.GetPrimaryKeyString(), next, _etag, reevaluate, cancellationToken) is not { } etag)
        {
            // Saved by another activation meanwhile (rare: Orleans keeps one). Start afresh from what it saved.
            DeactivateOnIdle();
            throw new GrainUnavailableException($"Workspace {this.GetPrimaryKeyString()} was changed concurrently; try again.");
        }
        Publish(next, etag);
        // Every account became due in the same transaction: have them re-evaluated now, not at the next interval.
        if (reevaluate) await GrainFactory.GetGrain<IDueAccountsGrain>(this.GetPrimaryKeyString()).SweepSoonAsync();
        return _config;
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(this.GetPrimaryKeyString(), cancellationToken);
        Publish(loaded?.State ?? new WorkspaceState(), loaded?.Etag ?? 0);
    }

    private void Publish(WorkspaceState state, long etag)
    {
        _state = state;
        _etag = etag;
        _config = state.ToConfig(this.GetPrimaryKeyString(), etag);
    }
}
