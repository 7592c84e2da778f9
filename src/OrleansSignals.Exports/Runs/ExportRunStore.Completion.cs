using OrleansSignals.Storage;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Exports.Runs;

public sealed partial class ExportRunStore
{
    /// <summary>
    /// Marks the run completed and writes its <c>export.completed</c> outbox row in the same
    /// transaction, so the event exists exactly when the run is complete. False when the run is no
    /// longer this owner's (then nothing is written).
    /// </summary>
    public async Task<bool> CompleteAsync(
        ExportRun run, string owner, IReadOnlyList<ExportFile> files, string manifest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = files.Sum(f => f.Rows);
        var bytes = files.Sum(f => f.Bytes);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE export_runs
            SET status = 'completed', rows = $3, bytes = $4, progress = 1, files = $5::jsonb, manifest = $6,
                completed_at = $7, error = NULL, lease_owner = NULL, lease_until = NULL
            WHERE id = $1 AND lease_owner = $2 AND status = 'running'
            """, connection, tx))
        {
            update.Parameters.Add(new() { Value = run.Id });
            update.Parameters.Add(new() { Value = owner });
            update.Parameters.Add(new() { Value = rows });
            update.Parameters.Add(new() { Value = bytes });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(files, WireJson.Options) });
            update.Parameters.Add(new() { Value = manifest });
            update.Parameters.Add(new() { Value = now });
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1) return false;
        }

        var data = new
        {
            RunId = run.Id,
            ScheduleId = run.ScheduleId,
            run.Dataset,
            run.Format,
            run.Compression,
            Destination = run.Destination,
            Rows = rows,
            Bytes = bytes,
            Files = files.Select(f => f.Path),
            Manifest = manifest,
        };
        await Outbox.EnqueueAsync(connection, tx, run.WorkspaceId, "export.completed", JsonSerializer.Serialize(data, WireJson.Options), now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
