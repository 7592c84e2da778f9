using OrleansSignals.Activation;

namespace OrleansSignals.Grains.Tests.Activation;

public sealed class GrainProxyTests
{
    [Fact]
    public async Task An_exception_from_an_async_grain_method_reaches_the_caller_as_thrown()
    {
        await using var silo = new TestSilo();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grain("acme").ThrowAsync("No such plan."));

        Assert.Equal("No such plan.", error.Message);
    }

    [Fact]
    public async Task An_exception_thrown_before_a_task_is_returned_is_not_wrapped_by_reflection()
    {
        await using var silo = new TestSilo();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => silo.Grain("acme").ThrowBeforeReturningATaskAsync("Bad seat count."));

        Assert.Equal("Bad seat count.", error.Message);
    }

    [Fact]
    public async Task A_failed_call_keeps_the_activation_and_frees_the_turn()
    {
        await using var silo = new TestSilo();
        var first = await silo.Grain("acme").WorkAsync(0);
        await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grain("acme").ThrowAsync("boom"));
        await Assert.ThrowsAsync<ArgumentException>(() => silo.Grain("acme").ThrowBeforeReturningATaskAsync("boom"));

        var after = await silo.Grain("acme").WorkAsync(0).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(first, after);
        Assert.Equal(1, silo.Probe.Activations("acme"));
    }

    [Fact]
    public async Task A_grain_interface_without_a_registered_class_is_reported_by_name()
    {
        await using var silo = new TestSilo();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grains.GetGrain<IUnregisteredGrain>("acme").PingAsync());

        Assert.Contains(nameof(IUnregisteredGrain), error.Message);
    }

    [Fact]
    public async Task A_grain_reference_needs_a_key()
    {
        await using var silo = new TestSilo();

        Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<ITestGrain>(""));
    }

    [Fact]
    public async Task References_to_a_live_activation_are_reused_and_outlive_it()
    {
        await using var silo = new TestSilo();
        Assert.NotSame(silo.Grain("acme"), silo.Grain("acme"));
        await silo.Grain("acme").WorkAsync(0);
        var kept = silo.Grain("acme");

        Assert.Same(kept, silo.Grain("acme"));
        Assert.NotSame(kept, silo.Grain("globex"));

        // Dropped and activated again: the old reference still reaches the grain by its key.
        silo.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await silo.Catalog.CollectIdleAsync());
        Assert.NotSame(kept, silo.Grain("acme"));
        await kept.WorkAsync(0);
        Assert.Equal(2, silo.Probe.Activations("acme"));
    }
}
