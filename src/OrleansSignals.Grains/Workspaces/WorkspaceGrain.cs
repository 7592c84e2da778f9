using System.Globalization;
using Orleans.Storage;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Persistence;

namespace OrleansSignals.Grains.Workspaces;

public sealed class WorkspaceGrain(
    [PersistentState("workspace", WorkspaceStorage.Name)] IPersistentState<WorkspaceState> state,
    WorkspaceConfigCache configs) : Grain, IWorkspaceGrain
{
    private WorkspaceConfig _config = WorkspaceConfig.Empty("");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Publish();
        // A workspace in use has its reminder, so its time-based insights flip without new events.
        await GrainFactory.GetGrain<IDueAccountsGrain>(this.GetPrimaryKeyString()).StartAsync();
    }

    public Task<WorkspaceConfig> GetConfigAsync() => Task.FromResult(_config);

    public Task<WorkspaceConfig> UpsertDefinitionAsync(InsightDefinition definition, CancellationToken cancellationToken) =>
        ChangeAsync(s => s with { Definitions = [.. s.Definitions.Where(d => d.Key != definition.Key), definition] }, reevaluate: true);

    public async Task<bool> DeleteDefinitionAsync(string key, CancellationToken cancellationToken)
    {
        if (state.State.Definitions.All(d => d.Key != key)) return false;
        await ChangeAsync(s => s with { Definitions = s.Definitions.Where(d => d.Key != key).ToList() }, reevaluate: true);
        return true;
    }

    public Task<WorkspaceConfig> SetHealthModelAsync(HealthModel model, CancellationToken cancellationToken) =>
        ChangeAsync(s => s with { HealthModel = model }, reevaluate: true);

    public Task<WorkspaceConfig> SetLifecycleEventsAsync(IReadOnlyList<string> events, CancellationToken cancellationToken) =>
        ChangeAsync(s => s with { LifecycleEvents = events.Distinct().ToList() }, reevaluate: false);

    private async Task<WorkspaceConfig> ChangeAsync(Func<WorkspaceState, WorkspaceState> change, bool reevaluate)
    {
        var previous = state.State;
        state.State = change(previous) with { ReevaluateAccounts = reevaluate };
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Saved by another activation meanwhile (rare: Orleans keeps one). The next call starts afresh from what it saved.
            state.State = previous;
            DeactivateOnIdle();
            throw new GrainUnavailableException($"Workspace {this.GetPrimaryKeyString()} was changed concurrently; try again.");
        }
        catch
        {
            // Not saved (the database failed): a later change must not carry this one along.
            state.State = previous;
            throw;
        }
        Publish();
        // Every stored account became due in the same transaction: have them re-evaluated now, not at the next interval.
        if (reevaluate) await GrainFactory.GetGrain<IDueAccountsGrain>(this.GetPrimaryKeyString()).SweepSoonAsync();
        return _config;
    }

    private void Publish()
    {
        _config = state.State.ToConfig(this.GetPrimaryKeyString(), state.Etag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : 0);
        configs.Publish(_config);
    }
}
