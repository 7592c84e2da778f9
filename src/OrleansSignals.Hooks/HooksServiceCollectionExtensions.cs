using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansSignals.Hooks.Dispatch;
using OrleansSignals.Hooks.Endpoints;
using OrleansSignals.Hooks.Usage;

namespace OrleansSignals.Hooks;

public static class HooksServiceCollectionExtensions
{
    /// <summary>Hook endpoints and the delivery log; with <paramref name="dispatcher"/>, the dispatcher too (hosts running <c>workers</c>).</summary>
    public static IServiceCollection AddSignalsHooks(this IServiceCollection services, bool dispatcher)
    {
        services.AddOptions<HookOptions>().BindConfiguration("Signals:Hooks").ValidateDataAnnotations()
            .Validate(o => RetrySchedule.Parse(o.RetrySchedule).Error is null, "Signals:Hooks:RetrySchedule must list delays such as 0s,5s,5m,2h,1d")
            .Validate(o => o.ClaimLease > o.Timeout, "Signals:Hooks:ClaimLease must exceed Signals:Hooks:Timeout")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<HookOptions>>().Value;
            return new RetrySchedule(RetrySchedule.Parse(o.RetrySchedule).Delays!, o.Jitter);
        });
        services.AddSingleton<Backfill>();
        services.AddSingleton<EndpointStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<UsageStore>();
        if (!dispatcher) return services;
        services.AddSingleton<Fanout>();
        services.AddSingleton<Claimer>();
        services.AddSingleton<DeliveryClient>();
        services.AddSingleton<ResultWriter>();
        services.AddHostedService<HookDispatcher>();
        services.AddHostedService<OutboxProbe>();
        return services;
    }
}
