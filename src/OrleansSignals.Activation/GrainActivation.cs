namespace OrleansSignals.Activation;

/// <summary>One live grain instance with its turn gate.</summary>
internal sealed class GrainActivation(Grain instance)
{
    private Task? _activated;
    private readonly Lock _activateLock = new();

    public Grain Instance { get; } = instance;

    /// <summary>Held for the whole of a turn: one turn at a time per activation.</summary>
    public SemaphoreSlim Turn { get; } = new(1, 1);

    /// <summary>Set (under the turn gate) once the activation is dropped; callers then retry on a new one.</summary>
    public volatile bool Deactivated;

    public long LastUsedTimestamp;

    /// <summary>A reference to this grain handed out before, reused by later <c>GetGrain</c> calls (references hold no state).</summary>
    public object? Reference;

    /// <summary>Starts <see cref="Grain.OnActivateAsync"/> once; every caller awaits the same task.</summary>
    public Task EnsureActivatedAsync(CancellationToken cancellationToken)
    {
        if (_activated is { } done) return done;
        lock (_activateLock)
        {
            return _activated ??= Instance.OnActivateAsync(cancellationToken);
        }
    }
}
