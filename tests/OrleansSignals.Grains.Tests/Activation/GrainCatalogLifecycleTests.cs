using OrleansSignals.Activation;

namespace OrleansSignals.Grains.Tests.Activation;

public sealed class GrainCatalogLifecycleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_activation_that_failed_to_activate_is_not_kept()
    {
        await using var silo = new TestSilo();
        silo.Probe.FailActivations("acme", 1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grain("acme").WorkAsync(0));
        Assert.Equal("Loading acme failed.", error.Message);
        Assert.Equal(0, silo.Catalog.Count);

        await silo.Grain("acme").WorkAsync(0).WaitAsync(Timeout);
        Assert.Equal(2, silo.Probe.Activations("acme"));
        Assert.Equal(1, silo.Catalog.Count);
    }

    [Fact]
    public async Task Calls_queued_behind_a_failed_activation_go_to_a_fresh_one()
    {
        await using var silo = new TestSilo();
        silo.Probe.FailActivations("acme", 1);

        var calls = Enumerable.Range(0, 5).Select(_ => silo.Grain("acme").WorkAsync(0)).ToList();
        await Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Timeout);

        Assert.Equal(1, calls.Count(c => c.IsFaulted));
        Assert.Equal(4, calls.Count(c => c.IsCompletedSuccessfully));
        Assert.Equal(2, silo.Probe.Activations("acme"));
    }

    [Fact]
    public async Task Only_idle_activations_are_collected_and_they_are_told()
    {
        await using var silo = new TestSilo();
        await silo.Grain("old").WorkAsync(0);
        silo.Time.Advance(TimeSpan.FromMinutes(10));
        await silo.Grain("recent").WorkAsync(0);
        silo.Time.Advance(TimeSpan.FromMinutes(6));

        var collected = await silo.Catalog.CollectIdleAsync();

        Assert.Equal(1, collected);
        Assert.Equal(1, silo.Catalog.Count);
        Assert.Equal(1, silo.Probe.Deactivations("old"));
        Assert.Equal(0, silo.Probe.Deactivations("recent"));
        await silo.Grain("old").WorkAsync(0);
        await silo.Grain("recent").WorkAsync(0);
        Assert.Equal(2, silo.Probe.Activations("old"));
        Assert.Equal(1, silo.Probe.Activations("recent"));
    }

    [Fact]
    public async Task An_activation_in_a_turn_is_not_collected()
    {
        await using var silo = new TestSilo();
        var gate = silo.Probe.Gate("acme");
        var held = silo.Grain("acme").HoldAsync();
        await gate.Entered.Task.WaitAsync(Timeout);
        silo.Time.Advance(TestSilo.IdleTimeout + TimeSpan.FromMinutes(1));

        Assert.Equal(0, await silo.Catalog.CollectIdleAsync());
        Assert.Equal(0, silo.Probe.Deactivations("acme"));

        gate.Release.SetResult();
        await held.WaitAsync(Timeout);
        Assert.Equal(1, silo.Catalog.Count);
    }

    [Fact]
    public async Task Deactivating_waits_for_the_running_turn_and_the_next_call_activates_again()
    {
        await using var silo = new TestSilo();
        var gate = silo.Probe.Gate("acme");
        var held = silo.Grain("acme").HoldAsync();
        await gate.Entered.Task.WaitAsync(Timeout);

        var deactivation = silo.Catalog.DeactivateAsync<ITestGrain>("acme");
        await Task.Delay(100);
        Assert.False(deactivation.IsCompleted);
        Assert.Equal(0, silo.Probe.Deactivations("acme"));

        gate.Release.SetResult();
        await Task.WhenAll(held, deactivation).WaitAsync(Timeout);
        Assert.Equal(["activate acme", "turn-end acme", "deactivate acme"], silo.Probe.Log);

        await silo.Grain("acme").WorkAsync(0).WaitAsync(Timeout);
        Assert.Equal(2, silo.Probe.Activations("acme"));
        Assert.Equal(1, silo.Probe.Deactivations("acme"));
    }

    [Fact]
    public async Task Deactivating_a_key_without_an_activation_does_nothing()
    {
        await using var silo = new TestSilo();

        await silo.Catalog.DeactivateAsync<ITestGrain>("acme").WaitAsync(Timeout);

        Assert.Equal(0, silo.Probe.Deactivations("acme"));
    }
}
