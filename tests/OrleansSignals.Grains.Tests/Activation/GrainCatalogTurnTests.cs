namespace OrleansSignals.Grains.Tests.Activation;

public sealed class GrainCatalogTurnTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Concurrent_first_calls_share_one_activation()
    {
        await using var silo = new TestSilo();

        var instances = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => silo.Grain("acme").WorkAsync(0)))).WaitAsync(Timeout);

        Assert.Equal(1, silo.Probe.Activations("acme"));
        Assert.Single(instances.Distinct());
        Assert.Equal(1, silo.Catalog.Count);
    }

    [Fact]
    public async Task Turns_of_one_activation_never_overlap()
    {
        await using var silo = new TestSilo();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => silo.Grain("acme").WorkAsync(5)))).WaitAsync(Timeout);

        Assert.Equal(1, silo.Probe.MaxRunning);
    }

    [Fact]
    public async Task A_call_waits_for_the_running_turn()
    {
        await using var silo = new TestSilo();
        var gate = silo.Probe.Gate("acme");
        var held = silo.Grain("acme").HoldAsync();
        await gate.Entered.Task.WaitAsync(Timeout);

        var queued = silo.Grain("acme").WorkAsync(0);
        await Task.Delay(100);
        Assert.False(queued.IsCompleted);

        gate.Release.SetResult();
        await Task.WhenAll(held, queued).WaitAsync(Timeout);
    }

    [Fact]
    public async Task An_always_interleave_method_runs_during_a_turn()
    {
        await using var silo = new TestSilo();
        var gate = silo.Probe.Gate("acme");
        var held = silo.Grain("acme").HoldAsync();
        await gate.Entered.Task.WaitAsync(Timeout);

        var running = await silo.Grain("acme").TurnsRunningAsync().WaitAsync(Timeout);

        Assert.Equal(1, running);
        gate.Release.SetResult();
        await held.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Different_keys_run_in_parallel()
    {
        await using var silo = new TestSilo();
        var gate = silo.Probe.Gate("acme");
        var held = silo.Grain("acme").HoldAsync();
        await gate.Entered.Task.WaitAsync(Timeout);

        await silo.Grain("globex").WorkAsync(0).WaitAsync(Timeout);

        Assert.Equal(2, silo.Probe.MaxRunning);
        gate.Release.SetResult();
        await held.WaitAsync(Timeout);
    }
}
