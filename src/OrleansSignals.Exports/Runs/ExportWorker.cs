using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrleansSignals.Exports.Runs;

/// <summary>
/// Runs exports on hosts with the <c>workers</c> role, one at a time (an export keeps a core busy):
/// claims the oldest pending run, or one whose host died, and executes it.
/// </summary>
public sealed partial class ExportWorker(
    ExportRunStore store,
    ExportRunner runner,
    ExportWakeup wakeup,
    IOptions<ExportOptions> options,
    TimeProvider time,
    ILogger<ExportWorker> logger) : BackgroundService
{
    /// <summary>Identifies this worker in <c>export_runs.lease_owner</c>.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await store.ClaimAsync(Owner, options.Value.Lease, time.GetUtcNow(), stoppingToken);
                if (run is null)
                {
                    await wakeup.WaitAsync(options.Value.PollInterval, stoppingToken);
                    continue;
                }
                if (run.Attempts > options.Value.MaxClaims)
                {
                    await store.FailAsync(run.Id, Owner, $"The run was started {run.Attempts - 1} times and its host stopped each time.", time.GetUtcNow(), stoppingToken);
                    continue;
                }
                await runner.RunAsync(run, Owner, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // PostgreSQL is away: a run in progress keeps its lease until it expires, then is taken over.
                LogUnavailable(ex);
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A bug must not stop the host (a BackgroundService that throws ends the process, API and hooks
                // with it): log it, and go on with the next run.
                LogUnexpected(ex);
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Export worker failed unexpectedly; it goes on with the next run")]
    private partial void LogUnexpected(Exception ex);

    [LoggerMessage(LogLevel.Warning, "Export worker cannot reach PostgreSQL; retrying")]
    private partial void LogUnavailable(Exception ex);
}
