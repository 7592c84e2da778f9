using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansSignals.Signals.Attio;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Delivery;
using OrleansSignals.Signals.Evaluation;
using OrleansSignals.Signals.Notify;
using OrleansSignals.Signals.Pipeline;
using OrleansSignals.Signals.PostHog;

namespace OrleansSignals.Signals;

public static class SignalsPipelineServiceCollectionExtensions
{
    /// <summary>The daily signal pipeline: definitions, evaluation, delivery, the digest mail, runs and the per-workspace pipeline grain's services.</summary>
    public static IServiceCollection AddSignalsPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().BindConfiguration("Signals:Pipeline").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AttioOptions>().BindConfiguration("Signals:Attio").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration("Mail").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PostHogOptions>().BindConfiguration("Signals:PostHog").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignalDefinitionStore>();
        services.AddSingleton<SignalQueries>();
        services.AddSingleton<PipelineRunStore>();
        services.AddSingleton<Scoring.ScoringStore>();
        services.AddSingleton<PipelineScheduleStore>();
        services.AddSingleton<PipelineRunner>();
        services.AddSingleton<DeliveryConfigStore>();
        services.AddSingleton<SignalDeliveryStore>();
        services.AddSingleton<IntegrationStore>();
        services.AddSingleton<SignalDeliverer>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<DigestMailStore>();
        services.AddSingleton<DigestQueries>();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<SmtpMailer>();
        services.AddSingleton<DigestNotifier>();
        // One client for every workspace's key: the per-key limits live inside it. Connections are recycled so a DNS change is seen.
        services.AddSingleton(sp => new AttioClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AttioOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        // One PostHog client for every workspace's key (the per-key limits live inside it). Each workspace names its own
        // host, so every connection goes through the private-network guard, on the addresses actually dialled.
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostHogOptions>>();
            var egress = PostHogEgress.Policy(o.Value);
            return new PostHogClient(
                new HttpClient(new SocketsHttpHandler
                {
                    ConnectCallback = (context, ct) => Hooks.Dispatch.DestinationGuard.ConnectAsync(context.DnsEndPoint, egress, ct),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AllowAutoRedirect = false,
                }) { Timeout = Timeout.InfiniteTimeSpan },
                o, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<PostHogSource>();
        services.AddSingleton<PostHogCohortDeliverer>();
        services.AddSingleton<OrleansSignals.Exports.Datasets.IExportDataset, Exports.SignalsDataset>();
        services.AddSingleton<OrleansSignals.Exports.Datasets.IExportDataset, Exports.PipelineRunsDataset>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
