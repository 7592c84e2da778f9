using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Activation;

/// <summary>Drops idle activations on a timer and every activation at shutdown.</summary>
internal sealed class IdleCollector(GrainCatalog catalog, IOptions<ActivationOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CollectionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await catalog.CollectIdleAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await catalog.DeactivateAllAsync();
    }
}
