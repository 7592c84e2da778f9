using OrleansSignals.Activation;

namespace OrleansSignals.Grains.Tests.Activation;

public interface ITestGrain : IGrainWithStringKey
{
    /// <summary>A turn that lasts <paramref name="milliseconds"/>; returns the activation's instance number.</summary>
    Task<int> WorkAsync(int milliseconds);

    /// <summary>A turn that lasts until the test releases the key's <see cref="TurnGate"/>.</summary>
    Task HoldAsync();

    /// <summary>How many turns of this activation are running right now.</summary>
    [AlwaysInterleave]
    Task<int> TurnsRunningAsync();

    Task ThrowAsync(string message);

    Task<int> ThrowBeforeReturningATaskAsync(string message);
}
