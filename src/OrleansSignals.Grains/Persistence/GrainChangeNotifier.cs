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
        using var command = Command(connection, tx, Payloads(SiloId, written.Keys.Select(k => "a\t" + AccountKey.For(k.WorkspaceId, k.AccountId))));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The lines, after the silo id, packed into as few payloads as fit NOTIFY's limit (counted in UTF-8
    /// bytes, as PostgreSQL counts them).
    /// </summary>
    internal static List<string> Payloads(string siloId, IEnumerable<string> lines)
    {
        var payloads = new List<string>();
        var current = new StringBuilder(siloId);
        var header = Encoding.UTF8.GetByteCount(siloId);
        var bytes = header;
        foreach (var line in lines)
        {
            var lineBytes = 1 + Encoding.UTF8.GetByteCount(line);
            if (bytes + lineBytes > MaxPayloadBytes && bytes > header)
            {
                payloads.Add(current.ToString());
                current.Clear().Append(siloId);
                bytes = header;
            }
            current.Append('\n').Append(line);
            bytes += lineBytes;
        }
        payloads.Add(current.ToString());
        return payloads;
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
        // This silo's own notifications come back too: recognise them before splitting anything.
        if (payload.StartsWith(SiloId + "\n", StringComparison.Ordinal) || payload == SiloId) return;
        var lines = payload.Split('\n');
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
