using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansSignals.Storage;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Measures the outbox for <c>/metrics</c> every <see cref="Interval"/>: how many transitions wait for the
/// fan-out and how old the oldest is. Read from the table, not from the dispatcher, so a stalled dispatcher
/// shows as a growing lag instead of a frozen gauge.
/// </summary>
public sealed partial class OutboxProbe(NpgsqlDataSource dataSource, ILogger<OutboxProbe> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The database's clock on both sides: created_at is its now() at insert.
        using var timer = new PeriodicTimer(Interval);
        do
        {
            if (stoppingToken.IsCancellationRequested) return;
            try
            {
                await using var command = dataSource.CreateCommand(
                    "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM outbox");
                await using var reader = await command.ExecuteReaderAsync(stoppingToken);
                await reader.ReadAsync(stoppingToken);
                SignalsMetrics.ReportOutbox(reader.GetInt64(0), Math.Max(0, reader.GetDouble(1)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogProbeFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Debug, "Measuring the outbox failed")]
    private partial void LogProbeFailed(Exception ex);
}
