using OrleansSignals.Activation;

namespace OrleansSignals.Grains.Tests.Activation;

/// <summary>A grain interface no class is registered for.</summary>
public interface IUnregisteredGrain : IGrainWithStringKey
{
    Task PingAsync();
}
