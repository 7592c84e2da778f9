using OrleansSignals.Exports.Schedules;

namespace OrleansSignals.Host.Cluster;

/// <summary>
/// Once the silo is up, makes sure the cluster's export schedule clock has its reminder (idempotent; the reminder
/// itself is persisted, so this matters only for a cluster's very first start).
/// </summary>
internal sealed partial class ClusterStartup(IGrainFactory grains, ILogger<ClusterStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IExportScheduleGrain>(IExportScheduleGrain.Key).StartAsync().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Another silo's start or the next schedule change registers it.
            LogNotStarted(ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Could not start the export schedule clock; another silo or the next schedule change will")]
    private partial void LogNotStarted(Exception ex);
}
