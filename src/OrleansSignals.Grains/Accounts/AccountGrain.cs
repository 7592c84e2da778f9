using System.Text.Json;
using OrleansSignals.Activation;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Grains.Workspaces;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Accounts;

public sealed class AccountGrain(IGrainFactory grains, AccountStore store, EventLog events, TimeProvider time) : Grain, IAccountGrain
{
    /// <summary>Lost etag races in a row before a turn gives up (every loss means another silo made progress).</summary>
    private const int MaxAttempts = 20;

    private string _workspaceId = "";
    private string _accountId = "";
    private AccountState? _state;
    private long _etag;
    private AccountView? _view;

    // Turns mutate the state in place; until a commit succeeds the in-memory copy is not to be trusted.
    private bool _stale = true;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspaceId, _accountId) = AccountKey.Parse(GrainKey);
        return ReloadAsync();
    }

    public Task<AccountView?> GetStateAsync() => Task.FromResult(_view);

    public Task<int> ApplyEventsAsync(IReadOnlyList<IncomingEvent> incoming) => RunTurnAsync(incoming, traits: null);

    public async Task<AccountView> SetTraitsAsync(IReadOnlyDictionary<string, JsonElement> traits)
    {
        await RunTurnAsync([], traits);
        return _view!;
    }

    public async Task ReevaluateAsync()
    {
        if (_stale) await ReloadAsync();
        if (_state is not null) await RunTurnAsync([], traits: null);
    }

    /// <summary>
    /// Applies events (assumed not stored yet: the API checks first) and traits, and commits. A turn that
    /// loses the etag race reloads, drops events stored meanwhile, and applies again.
    /// </summary>
    private async Task<int> RunTurnAsync(IReadOnlyList<IncomingEvent> incoming, IReadOnlyDictionary<string, JsonElement>? traits)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (_stale) await ReloadAsync();
            if (attempt > 0 && incoming.Count > 0)
            {
                var stored = await events.ExistingIdsAsync(_workspaceId, incoming.Select(e => e.EventId).ToList(), CancellationToken.None);
                incoming = incoming.Where(e => !stored.Contains(e.EventId)).ToList();
                if (incoming.Count == 0 && traits is null) return 0;
            }
            var config = await grains.GetGrain<IWorkspaceGrain>(_workspaceId).GetConfigAsync();
            var now = time.GetUtcNow();
            var state = _state ?? AccountState.New(now);
            _stale = true;
            var transitions = AccountTurn.Run(state, config, incoming, traits, now);
            if (await store.CommitAsync(new AccountCommit(_workspaceId, _accountId, _etag, state, incoming, transitions)) is { } etag)
            {
                _state = state;
                _etag = etag;
                _stale = false;
                _view = state.ToView(_accountId);
                return incoming.Count;
            }
        }
        throw new GrainContentionException($"Account {_accountId} is being changed concurrently; try again.");
    }

    private async Task ReloadAsync()
    {
        var loaded = await store.LoadAsync(_workspaceId, _accountId);
        _state = loaded?.State;
        _etag = loaded?.Etag ?? 0;
        _view = _state?.ToView(_accountId);
        _stale = false;
    }
}
