using System.Buffers;
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

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/events", IngestAsync)
            .WithSummary("Ingest product events (a JSON array, or NDJSON with Content-Type: application/x-ndjson)")
            .Accepts<IncomingEventDocument[]>("application/json", "application/x-ndjson");
        return api;
    }

    /// <summary>The shape of one event on the wire (for the OpenAPI document).</summary>
    public sealed record IncomingEventDocument(string EventId, string AccountId, string? PersonId, string Event, DateTimeOffset Timestamp, Dictionary<string, object?>? Properties);

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
            var ndjson = http.Request.ContentType?.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) == true;
            parsed = EventBatchParser.Parse(body.Memory, ndjson, time.GetUtcNow());
        }
        if (parsed.TooMany) return Problems.Problems.TooLarge($"A batch may hold at most {EventBatchParser.MaxEvents:N0} events.");
        if (parsed.Errors.Count > 0)
        {
            var items = parsed.Errors.Select(e => e.Field).Select(f => f.Split('.')[0]).Distinct().Count();
            return Problems.Problems.Invalid(parsed.Errors, $"{items} item(s) are invalid; no event of this batch was stored.");
        }

        var workspaceId = http.WorkspaceId();
        // First occurrence of an id in the batch wins; later ones and ids stored before are duplicates.
        var unique = parsed.Events.DistinctBy(e => e.EventId).ToList();
        var stored = await eventLog.ExistingIdsAsync(workspaceId, unique.ConvertAll(e => e.EventId), cancellationToken);
        var fresh = unique.Where(e => !stored.Contains(e.EventId)).ToList();
        var applied = await Task.WhenAll(fresh.GroupBy(e => e.AccountId).Select(group =>
            grains.GetGrain<IAccountGrain>(AccountKey.For(workspaceId, group.Key)).ApplyEventsAsync(group.ToList())));
        var accepted = applied.Sum();
        return TypedResults.Accepted((string?)null, new IngestResult(accepted, parsed.Events.Count - accepted));
    }
}
