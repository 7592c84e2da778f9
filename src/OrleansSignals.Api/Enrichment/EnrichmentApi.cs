using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansSignals.Api.Enrichment;

/// <summary>Enrichment batches, providers, customers and leads under <c>/api/enrichment</c>.</summary>
public static class EnrichmentApi
{
    public static RouteGroupBuilder MapEnrichmentApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/enrichment").WithTags("Enrichment");
        group.MapEnrichmentBatchesApi();
        group.MapEnrichmentProvidersApi();
        group.MapEnrichmentLeadsApi();
        return api;
    }
}
