using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansSignals.Activation;

namespace OrleansSignals.Grains.Tests.Activation;

/// <summary>The activation layer as the host registers it, with a manual clock and <see cref="TestGrain"/>.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public TestSilo()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Probe);
        services.AddGrainActivation();
        services.AddGrain<ITestGrain, TestGrain>();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        Catalog = _services.GetRequiredService<GrainCatalog>();
        Grains = _services.GetRequiredService<IGrainFactory>();
    }

    /// <summary>Default options: activations idle for 15 minutes are collected.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    public GrainProbe Probe { get; } = new();

    public GrainCatalog Catalog { get; }

    public IGrainFactory Grains { get; }

    public ITestGrain Grain(string key) => Grains.GetGrain<ITestGrain>(key);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
