using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Grains.Workspaces;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// One account. Its state is its checkpoint plus the journal events after it, replayed on activation. Event turns
/// make their transitions durable before answering and leave the checkpoint to a timer; turns without events
/// (traits, time) write the checkpoint and their transitions (and trait changes) together. Orleans runs one turn at a time.
/// </summary>
[GrainType(AccountGrains.GrainTypeName)]
public sealed partial class AccountGrain(
    [PersistentState("account", AccountCheckpointStorage.Name)] IPersistentState<AccountCheckpoint> checkpoint,
    EventJournal journal,
    TransitionWriter transitions,
    HistoryLog history,
    WorkspaceConfigCache configs,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    private string _workspaceId = "";
    private string _accountId = "";
    private AccountState? _state;
    private long _position;
    private int _sinceCheckpoint;
    // One checkpoint timer for the activation's life, armed after event turns and idle once it has fired: a timer
    // registered afresh each interval cost ~0.4 KB of objects that lived the whole interval (past young collections).
    private IGrainTimer? _checkpointTimer;
    private bool _checkpointArmed;

    // Set when a turn failed after changing the state: that state must never be checkpointed. The activation
    // goes away, and the next one replays from the last checkpoint.
    private bool _broken;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspaceId, _accountId) = AccountKey.Parse(this.GetPrimaryKeyString());
        _state = checkpoint.State.State;
        _position = checkpoint.State.Position;
        var pending = await journal.ReadTailAsync(_workspaceId, _accountId, _position);
        if (pending.Count > 0)
        {
            await ApplyTurnsAsync(pending);
            LogReplayed(_workspaceId, _accountId, pending.Sum(b => b.Events.Count), _position);
            if (checkpoint.RecordExists) await ReconcileInsightsAsync(cancellationToken);
            await CheckpointSoonAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_sinceCheckpoint > 0 && !_broken) await CheckpointAsync();
    }

    public Task<AccountView?> GetStateAsync()
    {
        // A state whose last change could not be made durable is never shown; the next activation replays.
        ThrowIfBroken();
        // Each read gets a view of its own, not one kept on the grain: a kept view outlives the next collection of the
        // young generation, and the collector then marks through it (~0.7 KB and ten objects per account read). Reads
        // spread over many accounts made those pauses 3x longer (docs/benchmarks.md, session 12).
        return Task.FromResult(_state is null ? null : _state.ToView(_accountId));
    }

    public async Task ApplyAsync(JournalBatch batch, CancellationToken cancellationToken)
    {
        ThrowIfBroken();
        if (batch.LastPosition <= _position) return; // applied already (a retry, or a replay got there first)
        var turns = new List<JournalBatch>();
        if (batch.FirstPosition > _position + 1)
        {
            // Another request's events for this account committed first but have not reached us yet: take them
            // from the journal, so this state never skips a position. (Appends commit in position order per account.)
            turns.AddRange(await journal.ReadAsync(_workspaceId, _accountId, _position, batch.FirstPosition - 1, cancellationToken));
        }
        turns.Add(batch.FirstPosition > _position
            ? batch
            : new JournalBatch(_position + 1, batch.ReceivedAt, batch.Events.Skip((int)(_position + 1 - batch.FirstPosition)).ToList()));
        await ApplyTurnsAsync(turns);
        await CheckpointSoonAsync();
    }

    /// <summary>After event turns: checkpoint now if many events wait for one, else within the checkpoint interval.</summary>
    private async Task CheckpointSoonAsync()
    {
        if (_sinceCheckpoint >= options.Value.CheckpointEveryEvents) await CheckpointAsync();
        else if (!_checkpointArmed)
        {
            _checkpointArmed = true;
            var interval = options.Value.CheckpointInterval;
            // Change on a timer that is firing takes effect when its tick completes (Orleans's GrainTimer).
            if (_checkpointTimer is null) _checkpointTimer = this.RegisterGrainTimer(CheckpointTimerAsync, new GrainTimerCreationOptions(interval, Timeout.InfiniteTimeSpan));
            else _checkpointTimer.Change(interval, Timeout.InfiniteTimeSpan);
        }
    }

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        ThrowIfBroken();
        var pending = await journal.ReadTailAsync(_workspaceId, _accountId, _position);
        if (pending.Count > 0) await ApplyTurnsAsync(pending);
        if (_sinceCheckpoint > 0) await CheckpointSoonAsync();
    }

    public async Task<AccountView> SetTraitsAsync(Dictionary<string, JsonElement> traits, CancellationToken cancellationToken)
    {
        await RunWithoutEventsAsync(traits);
        return (await GetStateAsync())!;
    }

    public async Task<TraitsUpdate> MergeTraitsAsync(Dictionary<string, JsonElement> patch, CancellationToken cancellationToken)
    {
        // In the grain, so that two patches of one account never lose each other's traits.
        var merged = TraitMerge.Apply(_state?.Traits ?? [], patch);
        var problems = TraitLimits.Check(merged);
        if (problems.Count > 0) return new TraitsUpdate(null, problems);
        await RunWithoutEventsAsync(merged);
        return new TraitsUpdate((await GetStateAsync())!, []);
    }

    public async Task ReevaluateAsync(CancellationToken cancellationToken)
    {
        if (_state is not null) await RunWithoutEventsAsync(traits: null);
    }

    /// <summary>Event turns, in journal order; their transitions are durable when this returns.</summary>
    private async Task ApplyTurnsAsync(List<JournalBatch> turns)
    {
        var config = await configs.GetAsync(_workspaceId);
        var rows = new List<TransitionRow>();
        Changing();
        foreach (var turn in turns)
        {
            var state = _state ??= AccountState.New(turn.ReceivedAt);
            // The turn's clock is its request's time, never earlier than the state's: a replay runs the same turn.
            var now = Iso.Microseconds(turn.ReceivedAt > state.UpdatedAt ? turn.ReceivedAt : state.UpdatedAt);
            var cause = "p" + turn.LastPosition.ToString(CultureInfo.InvariantCulture);
            foreach (var t in AccountTurn.Run(state, config, turn.Events, traits: null, now, (_workspaceId, _accountId, cause)))
                rows.Add(TransitionWriter.Row(_workspaceId, _accountId, t));
            _position = turn.LastPosition;
            _sinceCheckpoint += turn.Events.Count;
        }
        try
        {
            await transitions.WriteAsync(rows);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        _broken = false;
    }

    private void ThrowIfBroken()
    {
        if (!_broken) return;
        DeactivateOnIdle();
        throw new GrainUnavailableException($"Account {_accountId} is being reloaded after a failed write; try again.");
    }

    /// <summary>
    /// After a replay: a turn replayed under a configuration changed since it first ran can end with an insight in
    /// another state than its hooks announced. Announce the difference, so receivers end where the state is.
    /// </summary>
    private async Task ReconcileInsightsAsync(CancellationToken cancellationToken)
    {
        var announced = await history.AnnouncedInsightsAsync(_workspaceId, _accountId, cancellationToken);
        var rows = new List<TransitionRow>();
        var at = _state!.UpdatedAt;
        var cause = "r" + _position.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, wasActive) in announced)
        {
            var active = _state.Insights.TryGetValue(key, out var status) && status.Active;
            if (active == wasActive) continue;
            var type = active ? EventTypes.InsightTriggered : EventTypes.InsightResolved;
            var transition = new Transition(TransitionId.Derive(_workspaceId, _accountId, cause, type, key, null, at),
                type, key, wasActive ? "true" : "false", active ? "true" : "false", _state.HealthScore ?? 0, at);
            rows.Add(TransitionWriter.Row(_workspaceId, _accountId, transition));
        }
        if (rows.Count > 0) LogReconciled(_workspaceId, _accountId, rows.Count);
        await transitions.WriteAsync(rows);
    }

    /// <summary>A turn without events: its transitions and the checkpoint are written in one transaction.</summary>
    private async Task RunWithoutEventsAsync(Dictionary<string, JsonElement>? traits)
    {
        ThrowIfBroken();
        var config = await configs.GetAsync(_workspaceId);
        var now = Iso.Microseconds(time.GetUtcNow());
        Changing();
        var state = _state ??= AccountState.New(now);
        if (state.UpdatedAt > now) now = state.UpdatedAt;
        // Unique per account whatever the clocks say: the turn's transitions are written with this checkpoint or not at all.
        var cause = "t" + (++state.QuietTurns).ToString(CultureInfo.InvariantCulture);
        var before = state.Traits;
        checkpoint.State.Transitions.AddRange(AccountTurn.Run(state, config, [], traits, now, (_workspaceId, _accountId, cause)));
        if (traits is not null) checkpoint.State.TraitChanges.AddRange(TraitChange.Between(before, state.Traits, now));
        await CheckpointAsync();
    }

    /// <summary>Marks the state as being changed: until the change is durable, a failure leaves this activation unusable.</summary>
    private void Changing()
    {
        _broken = true;
    }

    private async Task CheckpointTimerAsync(CancellationToken cancellationToken)
    {
        _checkpointArmed = false;
        if (_sinceCheckpoint == 0 || _broken) return;
        // The workspace's configuration changed since this state was evaluated: its sweep only sees checkpointed
        // accounts, so re-evaluate now (which checkpoints) rather than store a state the change never reached.
        var config = await configs.GetAsync(_workspaceId);
        if (_state is not null && _state.ConfigVersion != config.Version) await RunWithoutEventsAsync(traits: null);
        else await CheckpointAsync();
    }

    private async Task CheckpointAsync()
    {
        try
        {
            checkpoint.State.State = _state;
            checkpoint.State.Position = _position;
            await checkpoint.WriteStateAsync();
            _sinceCheckpoint = 0;
            _broken = false;
        }
        catch (Exception ex)
        {
            // Written by another activation meanwhile, or the database failed: this activation's state may be
            // behind or unsaved. Let the next call activate afresh from the checkpoint and the journal.
            checkpoint.State.Transitions.Clear();
            checkpoint.State.TraitChanges.Clear();
            _broken = true;
            DeactivateOnIdle();
            LogCheckpointFailed(ex, _workspaceId, _accountId);
            throw;
        }
    }

    [LoggerMessage(LogLevel.Debug, "{Workspace} {Account} replayed {Events} journal events up to position {Position}")]
    private partial void LogReplayed(string workspace, string account, int events, long position);

    [LoggerMessage(LogLevel.Information, "{Workspace} {Account} replayed under a changed configuration: {Count} insight transitions announce where its state ended")]
    private partial void LogReconciled(string workspace, string account, int count);

    [LoggerMessage(LogLevel.Warning, "{Workspace} {Account} checkpoint failed; the next activation replays from the journal")]
    private partial void LogCheckpointFailed(Exception ex, string workspace, string account);
}
