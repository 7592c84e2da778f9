using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace OrleansSignals.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The PostgreSQL data source (from <c>ConnectionStrings:Postgres</c>), migrations and the stores on top.</summary>
    public static IServiceCollection AddSignalsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set. scripts/run.sh starts a local PostgreSQL and sets it.");
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.ConnectionStringBuilder.ApplicationName ??= "OrleansSignals";
            return builder.Build();
        });
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<PartitionManager>();
        services.AddSingleton<HistoryLog>();
        services.AddSingleton<WorkspaceDirectory>();
        return services;
    }
}
