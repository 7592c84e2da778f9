using OrleansSignals.Storage;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansSignals.Api.Accounts;
using OrleansSignals.Api.Enrichment;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Events;
using OrleansSignals.Api.Exports;
using OrleansSignals.Api.Health;
using OrleansSignals.Api.Input;
using OrleansSignals.Api.OpenApi;
using OrleansSignals.Api.Insights;
using OrleansSignals.Api.Problems;
using OrleansSignals.Api.Signals;
using OrleansSignals.Api.Webhooks;
using OrleansSignals.Api.Workspaces;
using OrleansSignals.Enrichment;
using OrleansSignals.Exports;
using OrleansSignals.Grains;
using OrleansSignals.Hooks;
using OrleansSignals.Signals;

namespace OrleansSignals.Api;

public static class SignalsHostExtensions
{
    private const string PerKeyPolicy = "per-key";

    /// <summary>Everything a host runs, by role (<see cref="SignalsOptions.Roles"/>), but the cluster itself (the Host project joins it).</summary>
    public static WebApplicationBuilder AddSignals(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SignalsOptions>().BindConfiguration("Signals").ValidateDataAnnotations()
            .Validate(o => o.TrustedProxies.All(p => p.Contains('/') ? System.Net.IPNetwork.TryParse(p, out _) : System.Net.IPAddress.TryParse(p, out _)),
                "Signals:TrustedProxies: every entry must be an IP address or a CIDR network such as 10.0.0.0/8")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection("Signals").Get<SignalsOptions>() ?? new SignalsOptions();

        // Stop every background service at once: one that waits on an unreachable database must not keep the
        // others (and the process) running after SIGTERM.
        // A silo leaving gracefully needs a few seconds; with the database away it would retry for much longer, and
        // a supervisor's SIGTERM must still end the process in good time (ShutdownTests).
        services.Configure<HostOptions>(o => (o.ServicesStopConcurrently, o.ShutdownTimeout) = (true, TimeSpan.FromSeconds(10)));

        // Migrations first: hosted services start in registration order.
        services.AddHostedService<MigrationHostedService>();
        services.AddSignalsGrains(builder.Configuration);
        services.AddSignalsHooks(dispatcher: options.Runs("workers"));
        services.AddSignalsExports(builder.Configuration, worker: options.Runs("workers"));
        services.AddSignalsPipeline(builder.Configuration);
        services.AddSignalsEnrichment();

        services.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.FrameworkProblems.Explain);
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DestinationExceptionHandler>();
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        services.AddOpenApi(o => o.WithSchemaNames().AddDocumentTransformer(OpenApi.BearerSecurity.Apply).AddSchemaTransformer(OpenApi.ScheduleRequestSchema.Apply)
            .AddDocumentTransformer(OpenApi.ApiReference.Describe).AddOperationTransformer(OpenApi.OperationDocs.Apply).AddSchemaTransformer(OpenApi.SchemaDocs.Apply));
        services.AddOptions<RateLimitOptions>().BindConfiguration("Signals:RateLimit").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Auth.FailedAuthLimiter>();
        services.AddSingleton<PerKeyBuckets>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SignalsOptions>>((forwarded, signals) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in signals.Value.TrustedProxies)
            {
                if (proxy.Contains('/')) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                else forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // The partition's factory is built once: the helper RateLimitPartition.GetTokenBucketLimiter would allocate
            // two closures on every request only to throw them away once the key's bucket exists.
            limiter.AddPolicy(PerKeyPolicy, http => new RateLimitPartition<string>(
                WorkspaceAuth.BearerToken(http.Request) ?? "anonymous", http.RequestServices.GetRequiredService<PerKeyBuckets>().Create));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TypedResults.Problem(detail: $"Too many requests for this API key; retry after {retryAfter} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
                    type: "https://tools.ietf.org/html/rfc6585#section-4").ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>Maps every route of the public contract.</summary>
    public static WebApplication MapSignals(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapApiReference();
        app.MapHealthApi();
        var options = app.Services.GetRequiredService<IOptions<SignalsOptions>>().Value;
        if (!options.Runs("api")) return app;

        var admin = app.MapGroup("/api").RequireAdminToken().RequireRateLimiting(PerKeyPolicy).RejectUnknownQueryParameters();
        var api = app.MapGroup("/api").RequireWorkspaceKey().RequireRateLimiting(PerKeyPolicy).RejectUnknownQueryParameters();
        admin.MapWorkspacesApi(api);
        api.MapEventsApi();
        api.MapInsightsApi();
        api.MapWorkspaceConfigApi();
        api.MapAccountsApi();
        api.MapWebhooksApi().MapUsageApi();
        api.MapExportsApi();
        api.MapSignalsApi().MapPipelineApi().MapNotificationsApi();
        api.MapEnrichmentApi();
        // No API key: the signed token in a digest's link is the authority (RFC 8058 one-click comes from mail providers).
        app.MapGroup("/api").RequireRateLimiting(PerKeyPolicy).RejectUnknownQueryParameters().MapUnsubscribeApi();
        return app;
    }
}
