using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Exports;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Runs;

namespace OrleansSignals.Api.Exports;

/// <summary>Export runs: <c>/api/datalake/exports</c>. Runs execute on hosts with the workers role.</summary>
public static class ExportsApi
{
    private const int ListLimit = 200;

    public sealed record RunList(IReadOnlyList<ExportRunResponse> Items);

    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/datalake/exports").WithTags("Exports").WithMetadata(new Input.RouteResource("id", "export"));
        group.MapPost("/", CreateAsync).Accepts<ExportRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/download", DownloadAsync);
        group.MapDelete("/{id}", DeleteAsync);
        api.MapExportSchedulesApi();
        return api;
    }

    public static async Task<Results<Accepted<ExportRunResponse>, ValidationProblem>> CreateAsync(
        HttpContext http, ExportDatasets datasets, ExportDestinations destinations, ExportRunStore runs, ExportWakeup wakeup, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (request, bodyErrors) = await JsonBody.ReadAsync<ExportRequest>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var (spec, errors) = ExportRequestValidator.Validate(request!, datasets, destinations);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var workspace = http.WorkspaceId();
        var now = time.GetUtcNow();
        var run = await runs.CreateAsync(workspace, spec!, null, DateOnly.FromDateTime(now.UtcDateTime), now, cancellationToken);
        wakeup.Notify();
        return TypedResults.Accepted($"/api/datalake/exports/{run.Id}", ExportRunResponse.Of(run, destinations.Open(run.Destination, workspace)));
    }

    public static async Task<Ok<RunList>> ListAsync(HttpContext http, ExportRunStore runs, ExportDestinations destinations, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        var items = await runs.ListAsync(workspace, ListLimit, cancellationToken);
        return TypedResults.Ok(new RunList([.. items.Select(r => ExportRunResponse.Of(r, destinations.Open(r.Destination, workspace)))]));
    }

    public static async Task<Results<Ok<ExportRunResponse>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, ExportRunStore runs, ExportDestinations destinations, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        return await runs.GetAsync(workspace, id, cancellationToken) is { } run
            ? TypedResults.Ok(ExportRunResponse.Of(run, destinations.Open(run.Destination, workspace)))
            : NotFound(id);
    }

    /// <summary>
    /// One file: the file itself (S3: a redirect to a presigned URL). Several parts: a zip of them,
    /// streamed as it is built (S3 parts are read through this host).
    /// </summary>
    public static async Task<IResult> DownloadAsync(
        Guid id, HttpContext http, ExportRunStore runs, ExportDestinations destinations, IOptions<ExportOptions> options, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        if (await runs.GetAsync(workspace, id, cancellationToken) is not { } run) return NotFound(id);
        if (run.Status != ExportRunStatus.Completed)
            return TypedResults.Problem(detail: $"Export {id} is {run.Status}; only a completed export can be downloaded.",
                statusCode: StatusCodes.Status409Conflict, title: "Not ready.");
        var destination = destinations.Open(run.Destination, workspace);
        if (run.Files.Count == 1)
        {
            var file = run.Files[0];
            if (destination.PresignedUrl(file.Path, options.Value.DownloadUrlLifetime) is { } url) return TypedResults.Redirect(url.ToString());
            return TypedResults.Stream(await destination.OpenReadAsync(file.Path, cancellationToken), ContentType(file.Path), Path.GetFileName(file.Path));
        }

        // ZipArchive still writes some headers synchronously, even through its async API.
        if (http.Features.Get<IHttpBodyControlFeature>() is { } bodyControl) bodyControl.AllowSynchronousIO = true;
        return TypedResults.Stream(async body =>
        {
            await using var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            foreach (var file in run.Files)
            {
                var level = file.Path.EndsWith(".csv", StringComparison.Ordinal) || file.Path.EndsWith(".jsonl", StringComparison.Ordinal)
                    ? CompressionLevel.Fastest : CompressionLevel.NoCompression;
                await using var entry = await zip.CreateEntry(Path.GetFileName(file.Path), level).OpenAsync(cancellationToken);
                await using var source = await destination.OpenReadAsync(file.Path, cancellationToken);
                await source.CopyToAsync(entry, cancellationToken);
            }
        }, "application/zip", $"{run.Dataset}_{run.Id}.zip");
    }

    /// <summary>Removes the run's files (parts and manifest), then its record.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext http, ExportRunStore runs, ExportDestinations destinations, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        if (await runs.GetAsync(workspace, id, cancellationToken) is not { } run) return NotFound(id);
        if (run.Status is ExportRunStatus.Pending or ExportRunStatus.Running)
            return TypedResults.Problem(detail: $"Export {id} is {run.Status}; delete it once it has completed or failed.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict.");
        var destination = destinations.Open(run.Destination, workspace);
        try
        {
            await destination.DeleteAsync([.. run.Files.Select(f => f.Path), ExportLayout.ManifestPath(run)], cancellationToken);
            await destination.DeleteByPrefixAsync(ExportLayout.Directory(run), ExportLayout.PartNamePrefix(run), cancellationToken);
        }
        catch (ExportDestinationException ex)
        {
            return TypedResults.Problem(detail: $"The files could not be removed, so the record is kept: {ex.Message}",
                statusCode: StatusCodes.Status502BadGateway, title: "Destination refused.");
        }
        await runs.DeleteAsync(workspace, id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static string ContentType(string path) => path switch
    {
        _ when path.EndsWith(".parquet", StringComparison.Ordinal) => "application/vnd.apache.parquet",
        _ when path.EndsWith(".gz", StringComparison.Ordinal) => "application/gzip",
        _ when path.EndsWith(".csv", StringComparison.Ordinal) => "text/csv; charset=utf-8",
        _ => "application/jsonl; charset=utf-8",
    };

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"No export '{id}'.");
}
