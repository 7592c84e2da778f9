using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansSignals.Activation;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Tells other silos, with PostgreSQL NOTIFY sent in the committing transaction, which grains changed,
/// and drops this silo's activations of grains other silos changed. Correctness never depends on this
/// (etags do that); it keeps reads fresh and spares a losing turn its retry.
/// </summary>
public sealed partial class GrainChangeNotifier(NpgsqlDataSource dataSource, GrainCatalog catalog, ILogger<GrainChangeNotifier> logger) : BackgroundService
{
    private const string Channel = "signals_grains";

    // NOTIFY payloads must stay under 8000 bytes.
    private const int MaxPayloadBytes = 7500;

    /// <summary>Identifies this silo, so it ignores its own notifications.</summary>
    public string SiloId { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..12];

    internal void NotifyAccounts(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyDictionary<(string WorkspaceId, string AccountId), long> written)
    {
        if (written.Count == 0) return;
        var payloads = new List<string>();
        var current = new StringBuilder(SiloId);
        foreach (var (workspaceId, accountId) in written.Keys)
        {
            var line = "\na\t" + AccountKey.For(workspaceId, accountId);
            if (Encoding.UTF8.GetByteCount(line) + Encoding.UTF8.GetByteCount(current.ToString()) > MaxPayloadBytes)
            {
                payloads.Add(current.ToString());
                current.Clear().Append(SiloId);
            }
            current.Append(line);
        }
        payloads.Add(current.ToString());
        using var command = Command(connection, tx, payloads);
        command.ExecuteNonQuery();
    }

    internal async Task NotifyWorkspaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId)
    {
        await using var command = Command(connection, tx, [SiloId + "\nw\t" + workspaceId]);
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction tx, List<string> payloads)
    {
        var command = new NpgsqlCommand($"SELECT pg_notify('{Channel}', p) FROM unnest($1::text[]) AS p", connection, tx);
        command.Parameters.Add(new() { Value = payloads.ToArray() });
        return command;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reconnecting = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);
                if (reconnecting)
                {
                    // Notifications sent while we were not listening are lost: trust no activation.
                    await catalog.DeactivateAllAsync();
                    reconnecting = false;
                }
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(ex);
                reconnecting = true;
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void OnNotification(string payload)
    {
        var lines = payload.Split('\n');
        if (lines[0] == SiloId) return;
        foreach (var line in lines.AsSpan(1))
        {
            var tab = line.IndexOf('\t');
            if (tab < 0) continue;
            var key = line[(tab + 1)..];
            _ = line[..tab] switch
            {
                "a" => catalog.DeactivateAsync<IAccountGrain>(key),
                "w" => catalog.DeactivateAsync<IWorkspaceGrain>(key),
                _ => Task.CompletedTask,
            };
        }
    }

    [LoggerMessage(LogLevel.Warning, "Listening for grain changes failed; reconnecting")]
    private partial void LogListenFailed(Exception ex);
}
