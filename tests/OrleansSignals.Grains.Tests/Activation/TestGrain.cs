using OrleansSignals.Activation;

namespace OrleansSignals.Grains.Tests.Activation;

public sealed class TestGrain(GrainProbe probe) : Grain, ITestGrain
{
    private readonly int _instance = probe.NewInstance();
    private int _running;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var fail = probe.Activating(GrainKey);
        // Slow enough that concurrent first calls pile up behind the activation.
        await Task.Delay(20, cancellationToken);
        if (fail) throw new InvalidOperationException($"Loading {GrainKey} failed.");
    }

    public override Task OnDeactivateAsync(CancellationToken cancellationToken)
    {
        probe.Deactivating(GrainKey);
        return Task.CompletedTask;
    }

    public async Task<int> WorkAsync(int milliseconds)
    {
        Started();
        await Task.Delay(milliseconds);
        Ended();
        return _instance;
    }

    public async Task HoldAsync()
    {
        Started();
        var gate = probe.Gate(GrainKey);
        gate.Entered.TrySetResult();
        await gate.Release.Task;
        Ended();
    }

    public Task<int> TurnsRunningAsync() => Task.FromResult(Volatile.Read(ref _running));

    public async Task ThrowAsync(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public Task<int> ThrowBeforeReturningATaskAsync(string message) => throw new ArgumentException(message);

    private void Started()
    {
        Interlocked.Increment(ref _running);
        probe.TurnStarted();
    }

    private void Ended()
    {
        probe.TurnEnded(GrainKey);
        Interlocked.Decrement(ref _running);
    }
}
