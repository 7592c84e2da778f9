using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansSignals.Api;
using OrleansSignals.Grains;

namespace OrleansSignals.Host.Cluster;

public static class ClusterHostingExtensions
{
    private const string Invariant = "Npgsql";

    /// <summary>
    /// Joins the Orleans cluster on the product's PostgreSQL: a silo when this host runs grains (role <c>grains</c>,
    /// the default), else an Orleans client when it answers HTTP only (role <c>api</c>), finding gateways through the
    /// same membership table.
    /// </summary>
    public static WebApplicationBuilder AddSignalsCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterSettings>().BindConfiguration("Orleans").ValidateDataAnnotations()
            .Validate(s => IPAddress.TryParse(s.AdvertisedIPAddress, out _), "Orleans:AdvertisedIPAddress must be an IP address")
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection("Orleans").Get<ClusterSettings>() ?? new ClusterSettings();
        var roles = builder.Configuration.GetSection("Signals").Get<SignalsOptions>() ?? new SignalsOptions();
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set. scripts/run.sh starts a local PostgreSQL and sets it.");

        if (roles.Runs("grains"))
        {
            builder.UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
                silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedIPAddress), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, connectionString));
                silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (Invariant, connectionString));
                silo.AddIncomingGrainCallFilter<DatabaseFailureCallFilter>();
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    // Probe every FailureDetectionTime / 3 and declare death after 3 missed probes (one vote suffices
                    // in clusters of one or two silos).
                    o.ProbeTimeout = settings.FailureDetectionTime / 3;
                    o.MinProbeTimeout = TimeSpan.FromTicks(Math.Min(o.MinProbeTimeout.Ticks, o.ProbeTimeout.Ticks));
                    o.MaxProbeTimeout = TimeSpan.FromTicks(Math.Max(o.ProbeTimeout.Ticks, settings.FailureDetectionTime.Ticks / 2));
                    o.NumMissedProbesLimit = 3;
                    o.NumVotesForDeathDeclaration = 1;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                    // A silo killed outright stays Active in the table; a restarting silo ignores it once its heartbeat
                    // is this stale instead of waiting minutes to reach it.
                    o.IAmAliveTablePublishTimeout = settings.FailureDetectionTime / 2;
                    o.NumMissedTableIAmAliveLimit = 2;
                });
                silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = settings.CollectionAge);
                if (settings.Dashboard) silo.AddDashboard();
            });
            builder.Services.AddSingleton<IClusterReadiness, SiloReadiness>();
            builder.Services.AddHostedService<ClusterStartup>();
        }
        else if (roles.Runs("api"))
        {
            var readiness = new ClientReadiness();
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, connectionString));
                // A silo that joins (or comes back) is found within this, not Orleans's default minute.
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
                client.AddClusterConnectionStatusObserver(readiness);
            });
            builder.Services.AddSingleton<IClusterReadiness>(readiness);
        }
        return builder;
    }
}
