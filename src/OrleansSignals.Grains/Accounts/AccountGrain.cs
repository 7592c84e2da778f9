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

    // Turns mutate the state in place; until a commit succeeds the in-memory copy is not to be trusted.
    private bool _stale = true;

    // Reads interleave with turns (GetStateAsync runs while a turn may be changing _state on another
    // thread). They are answered from _view, a copy of the last committed state made on the first read
    // after each commit. Copying after every commit instead cost a kilobyte per event that lived until
    // the account's next turn: long enough to reach the oldest generation, which then had to be
    // collected (a pause of every request) every few seconds during ingestion.
    private readonly Lock _sync = new();
    private AccountView? _view;
    private bool _inTurn;
    private TaskCompletionSource? _turnEnded; // made by a reader that has to wait for the turn, rarely

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspaceId, _accountId) = AccountKey.Parse(GrainKey);
        return ReloadAsync();
    }

    public async Task<AccountView?> GetStateAsync()
    {
        while (true)
        {
            Task turn;
            lock (_sync)
            {
                if (_view is not null) return _view;
                if (!_inTurn && !_stale) return _view = _state?.ToView(_accountId);
                turn = _inTurn ? (_turnEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
            }
            if (!turn.IsCompleted)
            {
                // A turn is changing the state and no copy of the previous one was made: wait for its commit.
                await turn;
                continue;
            }
            // The last turn failed part way: its changes never committed. Read the committed state
            // without touching this activation's (the next turn reloads it).
            var loaded = await store.LoadAsync(_workspaceId, _accountId);
            return loaded?.State.ToView(_accountId);
        }
    }

    public Task<int> ApplyEventsAsync(IReadOnlyList<IncomingEvent> incoming) => RunTurnAsync(incoming, traits: null);

    public async Task<AccountView> SetTraitsAsync(IReadOnlyDictionary<string, JsonElement> traits)
    {
        await RunTurnAsync([], traits);
        lock (_sync) return _view ??= _state!.ToView(_accountId);
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
        lock (_sync) _inTurn = true;
        try
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
                var now = Iso.Microseconds(time.GetUtcNow());
                var state = _state ?? AccountState.New(now);
                _stale = true;
                var transitions = AccountTurn.Run(state, config, incoming, traits, now);
                if (await store.CommitAsync(new AccountCommit(_workspaceId, _accountId, _etag, state, incoming, transitions)) is { } etag)
                {
                    lock (_sync)
                    {
                        _state = state;
                        _etag = etag;
                        _stale = false;
                        _view = null;
                    }
                    return incoming.Count;
                }
            }
            throw new GrainContentionException($"Account {_accountId} is being changed concurrently; try again.");
        }
        finally
        {
            TaskCompletionSource? ended;
            lock (_sync)
            {
                _inTurn = false;
                ended = _turnEnded;
                _turnEnded = null;
            }
            ended?.SetResult();
        }
    }

    private async Task ReloadAsync()
    {
        var loaded = await store.LoadAsync(_workspaceId, _accountId);
        lock (_sync)
        {
            _state = loaded?.State;
            _etag = loaded?.Etag ?? 0;
            _view = null;
            _stale = false;
        }
    }
}
