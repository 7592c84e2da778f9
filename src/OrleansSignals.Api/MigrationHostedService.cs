using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansSignals.Storage;

namespace OrleansSignals.Api;

/// <summary>
/// Applies migrations before anything else starts. While PostgreSQL cannot be reached the host waits
/// (and says so) rather than failing: on a cluster the database may well come up after the silos.
/// </summary>
internal sealed partial class MigrationHostedService(MigrationRunner migrations, ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await migrations.ApplyAsync(cancellationToken);
                LogApplied(migrations.Scripts.Count);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                LogWaiting(ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Database schema is current ({Count} migrations)")]
    private partial void LogApplied(int count);

    [LoggerMessage(LogLevel.Warning, "Waiting for PostgreSQL to apply migrations (attempt {Attempt})")]
    private partial void LogWaiting(Exception ex, int attempt);
}
