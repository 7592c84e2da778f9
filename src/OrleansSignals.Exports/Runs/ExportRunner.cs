using OrleansSignals.Storage;
using System.Data;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;
using Polly;
using Polly.Retry;

namespace OrleansSignals.Exports.Runs;

/// <summary>
/// Executes one claimed run: streams the dataset from PostgreSQL through the format writer into
/// parts at the destination, then writes the manifest, then marks the run completed (with its
/// outbox row). Transient destination errors retry the attempt (Polly); any failure removes what
/// the attempt wrote, so a failed run leaves no files.
/// </summary>
public sealed partial class ExportRunner(
    ExportDatasets datasets,
    ExportDestinations destinations,
    ExportRunStore store,
    IOptions<ExportOptions> options,
    TimeProvider time,
    ILogger<ExportRunner> logger)
{
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ExportDestinationException>(e => e.Transient).Handle<HttpRequestException>(),
            MaxRetryAttempts = options.Value.MaxAttempts - 1,
            Delay = options.Value.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = args =>
            {
                LogRetry(logger, args.Outcome.Exception, args.AttemptNumber + 2); // AttemptNumber is the zero-based number of the retry: the first retry is attempt 2
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Progress callback for in-process callers (the command line); the record gets it too.</summary>
    public sealed record Progress(long Rows, long Bytes, double Fraction);

    public async Task RunAsync(ExportRun run, string owner, CancellationToken cancellationToken)
    {
        LogStarting(run.WorkspaceId, run.Id, run.Dataset, run.Format, run.Compression);
        try
        {
            var (files, manifest) = await _retry.ExecuteAsync(async token => await AttemptAsync(run, owner, token), cancellationToken);
            if (await store.CompleteAsync(run, owner, files, manifest, time.GetUtcNow(), cancellationToken))
                LogCompleted(run.WorkspaceId, run.Id, files.Sum(f => f.Rows), files.Sum(f => f.Bytes), files.Count);
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(run.WorkspaceId, run.Id);
        }
        // Anything else that goes wrong fails this run, with what went wrong; it never ends the worker (and with
        // it the host) or comes back to fail again after a restart.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, run.WorkspaceId, run.Id);
            await store.FailAsync(run.Id, owner, Describe(ex), time.GetUtcNow(), CancellationToken.None);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        ExportDestinationException => ex.Message,
        HttpRequestException => $"The destination could not be reached: {ex.Message}",
        NpgsqlException => $"Reading the dataset from PostgreSQL failed: {ex.Message}",
        _ => ex.Message,
    };

    private async Task<(IReadOnlyList<ExportFile> Files, string Manifest)> AttemptAsync(ExportRun run, string owner, CancellationToken cancellationToken)
    {
        var dataset = datasets.Get(run.Dataset);
        ExportFormats.TryParseFormat(run.Format, out var format);
        ExportFormats.TryParseCompression(run.Compression, out var compression);
        var scope = new ExportScope(run.WorkspaceId, run.From, run.To, run.StartedAt ?? time.GetUtcNow(), run.Traits);
        var schema = dataset.Schema(scope);
        var destination = destinations.Open(run.Destination, run.WorkspaceId);
        var directory = ExportLayout.Directory(run);
        var manifestPath = ExportLayout.ManifestPath(run);

        // What an earlier attempt (or a host that died) left of this run.
        await destination.DeleteByPrefixAsync(directory, ExportLayout.PartNamePrefix(run), cancellationToken);
        await destination.DeleteAsync([manifestPath], cancellationToken);

        var files = new List<ExportFile>();
        ExportPart? part = null;
        try
        {
            long total;
            await using (var count = dataset.Count(scope)) total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken));

            var types = schema.Columns.Select(c => c.Type).ToArray();
            long rows = 0;
            var sinceReport = Stopwatch.StartNew();
            await using (var command = dataset.Rows(scope))
            {
                command.CommandTimeout = 0;
                await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    part ??= await ExportPart.OpenAsync(destination, ExportLayout.PartPath(run, files.Count, format, compression), format, compression, schema, cancellationToken);
                    CopyRow(reader, types, part.Writer);
                    await part.Writer.EndRowAsync(cancellationToken);
                    part.Rows++;
                    rows++;
                    if (part.Bytes >= options.Value.PartBytes)
                    {
                        files.Add(await part.CompleteAsync(cancellationToken));
                        await part.DisposeAsync();
                        part = null;
                    }
                    if (sinceReport.Elapsed >= options.Value.ProgressInterval)
                    {
                        sinceReport.Restart();
                        var bytes = files.Sum(f => f.Bytes) + (part?.Bytes ?? 0);
                        if (!await store.ReportProgressAsync(run.Id, owner, rows, bytes, total == 0 ? 0 : Math.Min(0.99, (double)rows / total), options.Value.Lease, cancellationToken))
                            throw new LeaseLostException();
                    }
                }
            }

            // An empty result still yields one (empty) file, so every completed run has data to read.
            if (part is null && files.Count == 0)
                part = await ExportPart.OpenAsync(destination, ExportLayout.PartPath(run, 0, format, compression), format, compression, schema, cancellationToken);
            if (part is not null)
            {
                files.Add(await part.CompleteAsync(cancellationToken));
                await part.DisposeAsync();
                part = null;
            }

            await WriteManifestAsync(destination, manifestPath, run, scope, schema, files, cancellationToken);
            return (files, manifestPath);
        }
        catch (Exception ex)
        {
            if (part is not null) await part.DisposeAsync();
            // A worker that lost its lease leaves the files alone: they are the new owner's now.
            if (ex is not LeaseLostException) await RemoveAsync(destination, run, [.. files.Select(f => f.Path), manifestPath]);
            throw;
        }
    }

    private static void CopyRow(NpgsqlDataReader reader, ParquetType[] types, IRowWriter writer)
    {
        for (var i = 0; i < types.Length; i++)
        {
            if (reader.IsDBNull(i))
            {
                writer.AppendNull(i);
                continue;
            }
            switch (types[i])
            {
                case ParquetType.String: writer.AppendString(i, reader.GetString(i)); break;
                case ParquetType.Int64: writer.AppendInt64(i, reader.GetInt64(i)); break;
                case ParquetType.Double: writer.AppendDouble(i, reader.GetDouble(i)); break;
                case ParquetType.Boolean: writer.AppendBoolean(i, reader.GetBoolean(i)); break;
                case ParquetType.Timestamp: writer.AppendTimestamp(i, reader.GetFieldValue<DateTime>(i)); break;
                default: throw new InvalidOperationException($"Column {i} has an unsupported type {types[i]}.");
            }
        }
    }

    private async Task WriteManifestAsync(
        IExportDestination destination, string path, ExportRun run, ExportScope scope, ParquetSchema schema, List<ExportFile> files, CancellationToken cancellationToken)
    {
        var manifest = new ExportManifest(run.Id, run.WorkspaceId, run.Dataset, run.Format, run.Compression, run.From, run.To, scope.SnapshotAt,
            ExportManifest.Describe(schema), files, files.Sum(f => f.Rows), files.Sum(f => f.Bytes), time.GetUtcNow());
        await using var upload = await destination.BeginAsync(path, cancellationToken);
        await JsonSerializer.SerializeAsync(upload.Stream, manifest, WireJson.Options, cancellationToken);
        await upload.CommitAsync(cancellationToken);
    }

    /// <summary>Best effort: a destination that refuses writes may refuse deletes too; the error is logged.</summary>
    private async Task RemoveAsync(IExportDestination destination, ExportRun run, IReadOnlyList<string> paths)
    {
        try
        {
            await destination.DeleteAsync(paths, CancellationToken.None);
        }
        catch (ExportDestinationException ex)
        {
            LogCleanupFailed(ex, run.WorkspaceId, run.Id);
        }
    }

    private sealed class LeaseLostException : Exception;

    [LoggerMessage(LogLevel.Information, "{Workspace} export {Run} starting: {Dataset} as {Format} ({Compression})")]
    private partial void LogStarting(string workspace, Guid run, string dataset, string format, string compression);

    [LoggerMessage(LogLevel.Information, "{Workspace} export {Run} completed: {Rows} rows, {Bytes} bytes in {Files} files")]
    private partial void LogCompleted(string workspace, Guid run, long rows, long bytes, int files);

    [LoggerMessage(LogLevel.Warning, "{Workspace} export {Run} failed")]
    private partial void LogFailed(Exception ex, string workspace, Guid run);

    [LoggerMessage(LogLevel.Warning, "{Workspace} export {Run} lost its lease to another worker; stopping")]
    private partial void LogLeaseLost(string workspace, Guid run);

    [LoggerMessage(LogLevel.Warning, "{Workspace} export {Run}: could not remove the files of a failed attempt")]
    private partial void LogCleanupFailed(Exception ex, string workspace, Guid run);

    [LoggerMessage(LogLevel.Warning, "Export attempt failed with a transient error; attempt {Attempt} follows")]
    private static partial void LogRetry(ILogger logger, Exception? ex, int attempt);
}
