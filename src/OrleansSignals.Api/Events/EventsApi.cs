using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Api.Events;

public static class EventsApi
{
    public const int MaxBodyBytes = 5 * 1024 * 1024;

    public sealed record IngestResult(int Accepted, int Duplicates);

    /// <summary>NDJSON's media types: the long-standing x- one and the one most tools now send.</summary>
    private static readonly string[] NdjsonTypes = ["application/x-ndjson", "application/ndjson"];

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/events", IngestAsync)
            .WithTags("Events")
            .WithSummary("Ingest product events (a JSON array, or NDJSON with Content-Type: application/x-ndjson)")
            .Accepts<IncomingEventDocument[]>("application/json", NdjsonTypes);
        return api;
    }

    /// <summary>The shape of one event on the wire (for the OpenAPI document).</summary>
    /// <remarks>Members, not a positional record: the document generator marks every constructor parameter required.</remarks>
    public sealed class IncomingEventDocument
    {
        public required string EventId { get; init; }
        public required string AccountId { get; init; }
        public string? PersonId { get; init; }
        public required string Event { get; init; }
        public required DateTimeOffset Timestamp { get; init; }
        public Dictionary<string, object?>? Properties { get; init; }
    }

    /// <summary>
    /// All or nothing: one bad item and nothing is stored; a valid batch is stored in one transaction. Each account's
    /// new events are then applied by its grain; 202 is sent once they are stored and applied, so an acknowledged
    /// event is never lost and a read of the account that follows sees it.
    /// </summary>
    public static async Task<Results<Accepted<IngestResult>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpContext http, IGrainFactory grains, EventJournal journal, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return ApiProblems.TooLarge($"A batch may be at most {MaxBodyBytes / 1024 / 1024} MB.");
        EventBatchParser.Result parsed;
        var receivedAt = time.GetUtcNow();
        using (var body = await PooledBody.ReadAsync(http.Request.Body, http.Request.ContentLength, MaxBodyBytes, cancellationToken))
        {
            if (body is null) return ApiProblems.TooLarge($"A batch may be at most {MaxBodyBytes / 1024 / 1024} MB.");
            var ndjson = http.Request.ContentType is { } type && NdjsonTypes.Any(t => type.StartsWith(t, StringComparison.OrdinalIgnoreCase));
            parsed = EventBatchParser.Parse(body.Memory, ndjson, receivedAt);
        }
        if (parsed.TooMany) return ApiProblems.TooLarge($"A batch may hold at most {EventBatchParser.MaxEvents:N0} events.");
        if (parsed.Errors.Count > 0)
        {
            var items = parsed.Errors.Select(e => e.Field).Where(f => f != "$").Select(f => f.Split('.')[0]).Distinct().Count();
            return ApiProblems.Invalid(parsed.Errors, items == 0
                ? "The batch is invalid; no event of it was stored."
                : $"{items} item(s) are invalid; no event of this batch was stored.");
        }

        var workspaceId = http.WorkspaceId();
        // First occurrence of an id in the batch wins; later ones and ids stored before are duplicates (the journal decides).
        var unique = parsed.Events.DistinctBy(e => e.EventId).ToList();
        var appended = await journal.AppendAsync(new EventJournal.Append(workspaceId, Iso.Microseconds(receivedAt), unique));
        // Stored: from here on the request succeeds. An account that cannot apply its events now replays them from
        // its journal when it is next activated.
        await ApplyAsync(grains, workspaceId, appended.Batches, loggers.CreateLogger(typeof(EventsApi)));
        if (appended.Duplicates > 0)
        {
            // A retry of a request whose answer was lost: its events may be stored but not applied (the host died
            // between the two). Accounts that got nothing new apply whatever their journal holds.
            var applied = appended.Batches.Select(b => b.AccountId).ToHashSet(StringComparer.Ordinal);
            await Task.WhenAll(unique.Select(e => e.AccountId).Distinct().Where(a => !applied.Contains(a))
                .Select(a => grains.GetAccountGrain(workspaceId, a).CatchUpAsync(cancellationToken)));
        }
        var accepted = appended.Batches.Sum(b => b.Batch.Events.Count);
        Storage.SignalsMetrics.EventsIngested.Add(accepted);
        return TypedResults.Accepted((string?)null, new IngestResult(accepted, parsed.Events.Count - accepted));
    }

    /// <summary>Turns one request keeps in flight at most.</summary>
    /// <remarks>
    /// Enough to keep the transition writes batched, few enough that a 10,000-event request does not hold
    /// 10,000 turns alive at once (what a waiting turn holds survives young-generation collections).
    /// </remarks>
    public const int MaxTurnsInFlight = 2048;

    /// <summary>Attempts per account before the request gives up waiting for it (its events are stored either way).</summary>
    private const int ApplyAttempts = 3;

    /// <summary>One turn per account, a sliding window of them at a time.</summary>
    private static async Task ApplyAsync(IGrainFactory grains, string workspaceId, IReadOnlyList<(string AccountId, JournalBatch Batch)> batches, ILogger logger)
    {
        var applied = new Task[batches.Count];
        using var window = new SemaphoreSlim(MaxTurnsInFlight);
        for (var i = 0; i < batches.Count; i++)
        {
            await window.WaitAsync();
            applied[i] = Turn(batches[i].AccountId, batches[i].Batch);
        }
        await Task.WhenAll(applied);

        async Task Turn(string accountId, JournalBatch batch)
        {
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await grains.GetAccountGrain(workspaceId, accountId).ApplyAsync(batch);
                        return;
                    }
                    catch (Exception ex) when (attempt < ApplyAttempts)
                    {
                        // The activation failed or its silo went away: the next call activates the account afresh,
                        // which replays the journal (these events included) and makes this call a no-op.
                        logger.LogInformation(ex, "{Workspace} {Account} could not apply positions {First}-{Last} (attempt {Attempt}); retrying",
                            workspaceId, accountId, batch.FirstPosition, batch.LastPosition, attempt);
                    }
                    catch (Exception ex)
                    {
                        logger.LogWarning(ex, "{Workspace} {Account} did not apply positions {First}-{Last}; they are stored and replay on its next activation",
                            workspaceId, accountId, batch.FirstPosition, batch.LastPosition);
                        return;
                    }
                }
            }
            finally
            {
                window.Release();
            }
        }
    }
}
