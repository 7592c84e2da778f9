namespace OrleansSignals.Activation;

/// <summary>
/// Base class of grain implementations. One instance exists per key per silo and it runs one turn
/// at a time, so its fields need no locks (methods marked <see cref="AlwaysInterleaveAttribute"/> excepted).
/// </summary>
public abstract class Grain
{
    /// <summary>The key this activation serves (Orleans: <c>this.GetPrimaryKeyString()</c>).</summary>
    public string GrainKey { get; internal set; } = "";

    /// <summary>Runs once, inside the first turn, before any method call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the activation is dropped (idle, stale or shut down).</summary>
    public virtual Task OnDeactivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
