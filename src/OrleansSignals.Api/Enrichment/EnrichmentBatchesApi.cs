using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Enrichment;
using OrleansSignals.Enrichment.Batches;
using OrleansSignals.Enrichment.Consolidation;
using OrleansSignals.Enrichment.Upload;
using OrleansSignals.Grains;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Enrichment;

/// <summary><c>/api/enrichment/batches</c>: upload a CSV as a batch, follow it, read its audit log, cancel, consolidate.</summary>
public static class EnrichmentBatchesApi
{
    private const int MaxResultLimit = 1000;

    /// <summary>Room for the multipart framing and the other parts around a file of the largest size.</summary>
    private const long MaxBodyBytes = EnrichmentOptions.MaxFileBytes + 1024 * 1024;

    public sealed record Accepted(Guid Id, string Status, int Items);
    public sealed record Progress(long Done, long Total, double Percent);
    public sealed record BatchView(Guid Id, string Status, IReadOnlyList<string> Steps, string? FileName, int ItemCount,
        IReadOnlyDictionary<string, long> Items, IReadOnlyDictionary<string, long> StepStates, Progress Progress, string? Error,
        DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? ConsolidatedAt, JsonElement? Consolidation);
    public sealed record ResultPage(IReadOnlyList<ResultView> Items, string? NextCursor);
    public sealed record Cancelled(Guid Id, string Status);

    public static RouteGroupBuilder MapEnrichmentBatchesApi(this RouteGroupBuilder group)
    {
        group.MapPost("/batches", UploadAsync).WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes)).DisableAntiforgery();
        group.MapGet("/batches/{id:guid}", GetAsync);
        group.MapGet("/batches/{id:guid}/results", ResultsAsync);
        group.MapPost("/batches/{id:guid}/cancel", CancelAsync);
        group.MapPost("/batches/{id:guid}/consolidate", ConsolidateAsync);
        return group;
    }

    /// <summary>
    /// multipart/form-data: <c>file</c> (the CSV), <c>steps</c> (provider names in order: repeated fields, one
    /// comma-separated field or a JSON array) and optionally <c>mapping</c> (a JSON object, field -> CSV header).
    /// The batch is stored whole or not at all, then started.
    /// </summary>
    public static async Task<Results<Accepted<Accepted>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpContext http, BatchStager stager, IGrainFactory grains, BatchStore batches, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return TooLarge();
        if (!http.Request.HasFormContentType)
            return ApiProblems.Invalid("file", "send multipart/form-data with the CSV in a part named 'file'");
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var errors = new List<FieldError>();
        var file = form.Files.GetFile("file");
        if (file is null) errors.Add(new("file", "is required (a part named 'file' holding the CSV)"));
        else if (file.Length > EnrichmentOptions.MaxFileBytes) return TooLarge();
        var steps = Steps(form["steps"], errors);
        Dictionary<string, string>? mapping = null;
        if (form["mapping"].ToString() is { Length: > 0 } mappingText)
        {
            try
            {
                mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(mappingText);
            }
            catch (JsonException)
            {
                errors.Add(new("mapping", "must be a JSON object of field -> CSV header, e.g. {\"email\": \"Work Email\"}"));
            }
        }
        if (errors.Count > 0) return ApiProblems.Invalid(errors);

        BatchStager.Staged staged;
        await using (var content = file!.OpenReadStream())
        {
            try
            {
                staged = await stager.StageAsync(new BatchStager.Request(http.WorkspaceId(), steps, mapping, file.FileName, content), cancellationToken);
            }
            catch (StagingException ex) when (ex.TooLarge)
            {
                return ApiProblems.TooLarge($"{ex.Message}. Nothing was stored.");
            }
            catch (StagingException ex)
            {
                return ApiProblems.Invalid(ex.Errors);
            }
        }
        try
        {
            await grains.GetGrain<IEnrichmentBatchGrain>(staged.Id).StartAsync();
        }
        catch
        {
            // Not started means not accepted: nothing is left behind that no grain would ever run (the 503 says retry).
            await batches.DeleteUnstartedAsync(staged.Id, CancellationToken.None);
            throw;
        }
        return TypedResults.Accepted($"/api/enrichment/batches/{staged.Id}", new Accepted(staged.Id, BatchStatus.Pending, staged.Items));
    }

    public static async Task<Results<Ok<BatchView>, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, BatchStore batches, CancellationToken cancellationToken)
    {
        if (await batches.FindAsync(http.WorkspaceId(), id, cancellationToken) is not { } batch) return NotFound(id);
        var (items, steps) = await batches.CountsAsync(id, cancellationToken);
        var total = (long)batch.ItemCount * batch.Steps.Length;
        var done = steps["succeeded"] + steps["failed"] + steps["skipped"] + steps["cancelled"];
        JsonElement? consolidation = null;
        if (batch.Consolidation is { } report)
        {
            using var document = JsonDocument.Parse(report);
            consolidation = document.RootElement.Clone();
        }
        return TypedResults.Ok(new BatchView(batch.Id, batch.Status, batch.Steps, batch.FileName, batch.ItemCount, items, steps,
            new Progress(done, total, total == 0 ? 100 : Math.Round(100.0 * done / total, 1)), batch.Error, batch.CreatedAt, batch.StartedAt,
            batch.FinishedAt, batch.ConsolidatedAt, consolidation));
    }

    /// <summary>The audit log: every attempt in the order it was recorded, <c>?item_id=</c> for one item, keyset paged.</summary>
    public static async Task<Results<Ok<ResultPage>, ValidationProblem, ProblemHttpResult>> ResultsAsync(
        Guid id, [FromQuery(Name = "item_id")] string? itemText, [FromQuery(Name = "limit")] string? limitText, string? cursor,
        HttpContext http, BatchStore batches, ResultLog log, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var limit = 100;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxResultLimit))
            errors.Add(new("limit", $"must be from 1 to {MaxResultLimit}"));
        long? itemId = null;
        if (itemText is not null)
        {
            if (long.TryParse(itemText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) itemId = parsed;
            else errors.Add(new("item_id", $"'{itemText}' is not an item id"));
        }
        long after = 0;
        if (cursor is not null && !(Cursor.TryDecode(cursor, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            errors.Add(new("cursor", "is not a cursor this API returned"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors, "The query is invalid; nothing was read.");
        if (await batches.FindAsync(http.WorkspaceId(), id, cancellationToken) is null) return NotFound(id);
        var (items, next) = await log.ListAsync(http.WorkspaceId(), id, itemId, after, limit, cancellationToken);
        return TypedResults.Ok(new ResultPage(items, next is { } last ? Cursor.Encode(last.ToString(CultureInfo.InvariantCulture)) : null));
    }

    /// <summary>Cancels a pending or running batch: open steps become cancelled, calls in flight stop. A final batch stays as it is (409).</summary>
    public static async Task<Results<Ok<Cancelled>, ProblemHttpResult>> CancelAsync(
        Guid id, HttpContext http, BatchStore batches, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (status, cancelled) = await batches.CancelAsync(http.WorkspaceId(), id, cancellationToken);
        if (status is null) return NotFound(id);
        if (!cancelled)
            return TypedResults.Problem(detail: $"The batch is already {status}; only a pending or running batch can be cancelled.",
                statusCode: StatusCodes.Status409Conflict, title: "The batch is final.");
        await grains.GetGrain<IEnrichmentBatchGrain>(id).CancelAsync();
        return TypedResults.Ok(new Cancelled(id, status));
    }

    /// <summary>Rebuilds the batch's leads and work history from its audit log under the providers' current mappings.</summary>
    public static async Task<Results<Ok<ConsolidationReport>, ProblemHttpResult>> ConsolidateAsync(
        Guid id, HttpContext http, BatchStore batches, Consolidator consolidator, CancellationToken cancellationToken)
    {
        if (await batches.FindAsync(http.WorkspaceId(), id, cancellationToken) is null) return NotFound(id);
        return TypedResults.Ok(await consolidator.ConsolidateAsync(id, cancellationToken));
    }

    /// <summary>Provider names from repeated fields, comma-separated values or JSON arrays.</summary>
    private static List<string> Steps(Microsoft.Extensions.Primitives.StringValues values, List<FieldError> errors)
    {
        var steps = new List<string>();
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (value.TrimStart().StartsWith('['))
            {
                try
                {
                    steps.AddRange(JsonSerializer.Deserialize<List<string>>(value)!.Select(s => s.Trim()));
                }
                catch (JsonException)
                {
                    errors.Add(new("steps", "must be provider names: repeated fields, comma-separated, or a JSON array of strings"));
                }
            }
            else
            {
                steps.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
        }
        if (steps.Count == 0 && errors.Count(e => e.Field == "steps") == 0) errors.Add(new("steps", "name at least one provider, in the order to run them"));
        if (steps.Count > 20) errors.Add(new("steps", "at most 20 steps"));
        return steps;
    }

    private static ProblemHttpResult TooLarge() =>
        ApiProblems.TooLarge($"A CSV may be at most {EnrichmentOptions.MaxFileBytes / 1024 / 1024} MB and {EnrichmentOptions.MaxRows:N0} rows. Nothing was stored.");

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"No enrichment batch '{id}'.");
}
