using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Activation;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Storage;

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
    /// All or nothing for validation: one bad item and nothing is stored. Once valid, events are stored with
    /// their account's turn; 202 is sent only after every turn committed, so an acknowledged event is never lost.
    /// </summary>
    public static async Task<Results<Accepted<IngestResult>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpContext http, IGrainFactory grains, EventLog eventLog, TimeProvider time, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return Problems.Problems.TooLarge($"A batch may be at most {MaxBodyBytes / 1024 / 1024} MB.");
        EventBatchParser.Result parsed;
        using (var body = await PooledBody.ReadAsync(http.Request.Body, http.Request.ContentLength, MaxBodyBytes, cancellationToken))
        {
            if (body is null) return Problems.Problems.TooLarge($"A batch may be at most {MaxBodyBytes / 1024 / 1024} MB.");
            var ndjson = http.Request.ContentType is { } type && NdjsonTypes.Any(t => type.StartsWith(t, StringComparison.OrdinalIgnoreCase));
            parsed = EventBatchParser.Parse(body.Memory, ndjson, time.GetUtcNow());
        }
        if (parsed.TooMany) return Problems.Problems.TooLarge($"A batch may hold at most {EventBatchParser.MaxEvents:N0} events.");
        if (parsed.Errors.Count > 0)
        {
            var items = parsed.Errors.Select(e => e.Field).Where(f => f != "$").Select(f => f.Split('.')[0]).Distinct().Count();
            return Problems.Problems.Invalid(parsed.Errors, items == 0
                ? "The batch is invalid; no event of it was stored."
                : $"{items} item(s) are invalid; no event of this batch was stored.");
        }

        var workspaceId = http.WorkspaceId();
        // First occurrence of an id in the batch wins; later ones and ids stored before are duplicates.
        var unique = parsed.Events.DistinctBy(e => e.EventId).ToList();
        var stored = await eventLog.ExistingIdsAsync(workspaceId, unique.ConvertAll(e => e.EventId), cancellationToken);
        var fresh = unique.Where(e => !stored.Contains(e.EventId)).ToList();
        var accepted = await ApplyAsync(grains, workspaceId, fresh);
        return TypedResults.Accepted((string?)null, new IngestResult(accepted, parsed.Events.Count - accepted));
    }

    /// <summary>Turns one request keeps in flight at most.</summary>
    /// <remarks>
    /// Enough to fill the commit batches (1,000 turns each, two at a time), few enough that a 10,000-event
    /// request does not hold 10,000 turns alive at once: everything a waiting turn holds survives the
    /// young-generation garbage collections, and copying it made those pauses several times longer.
    /// </remarks>
    public const int MaxTurnsInFlight = 2048;

    /// <summary>One turn per account, a sliding window of them at a time; returns how many events were new.</summary>
    private static async Task<int> ApplyAsync(IGrainFactory grains, string workspaceId, List<IncomingEvent> events)
    {
        var accounts = events.GroupBy(e => e.AccountId).ToList();
        var applied = new Task<int>[accounts.Count];
        using var window = new SemaphoreSlim(MaxTurnsInFlight);
        for (var i = 0; i < accounts.Count; i++)
        {
            await window.WaitAsync();
            applied[i] = Turn(accounts[i]);
        }
        return (await Task.WhenAll(applied)).Sum();

        async Task<int> Turn(IGrouping<string, IncomingEvent> account)
        {
            try
            {
                return await grains.GetGrain<IAccountGrain>(AccountKey.For(workspaceId, account.Key)).ApplyEventsAsync(account.ToList());
            }
            finally
            {
                window.Release();
            }
        }
    }
}
