using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansSignals.Enrichment.Batches;
using OrleansSignals.Enrichment.Consolidation;
using OrleansSignals.Enrichment.Exports;
using OrleansSignals.Enrichment.Leads;
using OrleansSignals.Enrichment.Providers;
using OrleansSignals.Enrichment.Upload;
using OrleansSignals.Exports.Datasets;

namespace OrleansSignals.Enrichment;

public static class EnrichmentServiceCollectionExtensions
{
    /// <summary>Enrichment batches: upload staging, providers, the batch runner (used by the batch grain), consolidation, queries and export datasets.</summary>
    public static IServiceCollection AddSignalsEnrichment(this IServiceCollection services)
    {
        services.AddOptions<EnrichmentOptions>().BindConfiguration("Signals:Enrichment").ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.SecretKey) || IsKey(o.SecretKey), "Signals:Enrichment:SecretKey must be base64 of exactly 32 bytes")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SecretBox>();
        services.AddSingleton<ProviderStore>();
        services.AddSingleton<BatchStager>();
        services.AddSingleton<WorkflowStore>();
        services.AddSingleton<BatchStore>();
        services.AddSingleton<ResultLog>();
        services.AddSingleton<ProviderLimits>();
        services.AddSingleton<ProviderCaller>();
        services.AddSingleton<Consolidator>();
        services.AddSingleton<BatchRunner>();
        services.AddSingleton<CustomerStore>();
        services.AddSingleton<LeadQueries>();
        services.AddSingleton<IExportDataset, EnrichmentLeadsDataset>();
        services.AddSingleton<IExportDataset, PersonWorkHistoryDataset>();
        return services;
    }

    private static bool IsKey(string value)
    {
        var buffer = new byte[64];
        return Convert.TryFromBase64String(value, buffer, out var written) && written == 32;
    }
}
