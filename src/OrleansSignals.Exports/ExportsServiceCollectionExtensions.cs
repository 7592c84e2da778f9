using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Runs;
using OrleansSignals.Exports.Schedules;

namespace OrleansSignals.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>Datasets, destinations and run/schedule stores; with <paramref name="worker"/>, the worker that executes runs.</summary>
    public static IServiceCollection AddSignalsExports(this IServiceCollection services, IConfiguration configuration, bool worker)
    {
        services.AddOptions<ExportOptions>().BindConfiguration("Signals:Exports").ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<IHostEnvironment>((o, env) =>
                o.LocalRoot = Path.GetFullPath(string.IsNullOrEmpty(o.LocalRoot) ? Path.Combine(env.ContentRootPath, "exports") : o.LocalRoot, env.ContentRootPath));
        services.AddOptions<S3Options>().BindConfiguration("Signals:Exports:S3").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IExportDataset, InsightSnapshotDataset>();
        services.AddSingleton<IExportDataset, LifecycleEventHistoryDataset>();
        services.AddSingleton<IExportDataset, EventsDataset>();
        services.AddSingleton<ExportDatasets>();
        services.AddSingleton<ExportDestinations>();
        services.AddSingleton<ExportRunStore>();
        services.AddSingleton<ExportScheduleStore>();
        services.AddSingleton<ExportWakeup>();
        services.AddSingleton<ExportRunner>();
        services.AddSingleton<ExportScheduler>();
        services.TryAddSingleton(TimeProvider.System);
        if (worker) services.AddHostedService<ExportWorker>();
        return services;
    }
}
