using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansSignals.Activation;

public static class ActivationServiceCollectionExtensions
{
    /// <summary>Adds the grain catalog, the grain factory and idle collection.</summary>
    public static IServiceCollection AddGrainActivation(this IServiceCollection services)
    {
        services.AddOptions<ActivationOptions>().BindConfiguration("Signals:Activation").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GrainCatalog>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddHostedService<IdleCollector>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Registers the class that serves a grain interface.</summary>
    public static IServiceCollection AddGrain<TInterface, TGrain>(this IServiceCollection services)
        where TInterface : IGrainWithStringKey
        where TGrain : Grain, TInterface =>
        services.AddSingleton(new GrainRegistration(typeof(TInterface), typeof(TGrain)));
}
