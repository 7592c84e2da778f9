using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// A local server speaking the part of PostHog's API the pipeline uses: the query API (POST
/// /api/projects/{id}/query/ with a HogQLQuery, answering <c>results</c>, <c>columns</c>, <c>types</c>) and
/// add_persons_to_static_cohort (PATCH, person uuids, at most 1,000, <c>{"success": true}</c>), with bearer auth and
/// PostHog's error shape (<c>type, code, detail, attr</c>). It evaluates no HogQL: it records each query's text and
/// values and answers with the rows a test gave for the event name (and window), paged by the query's LIMIT/OFFSET, or maps
/// distinct ids to persons for the person_distinct_ids query. Tests can queue failures (429 with Retry-After, 5xx,
/// a 400 for a bad query), make PostHog fail every request, or make queries hang until the client gives up.
/// </summary>
public sealed partial class FakePostHog : IAsyncDisposable
{
    public const string Token = "phx_test_personal_key";
    public const int ProjectId = 42;

    public sealed record Query(string Text, JsonObject Values, DateTimeOffset At);

    private readonly WebApplication _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Arrival time and path of every request, refused ones too.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Path)> Arrivals { get; } = new();

    /// <summary>Every query received (after auth), in order.</summary>
    public ConcurrentQueue<Query> Queries { get; } = new();

    /// <summary>Rows ([account_id, distinct_id, n]) answered to a counts query, by its <c>event_name</c> value.</summary>
    public ConcurrentDictionary<string, JsonArray> Counts { get; } = new();

    /// <summary>
    /// Rows answered to a counts query by its <c>event_name</c> value, as a function of the query's window
    /// (<c>window_start</c>, <c>window_end</c>, UTC): what PostHog holds differs by window. Takes precedence over <see cref="Counts"/>.
    /// </summary>
    public ConcurrentDictionary<string, Func<DateTime, DateTime, JsonArray>> WindowedCounts { get; } = new();

    /// <summary>distinct_id to person uuid.</summary>
    public ConcurrentDictionary<string, string> Persons { get; } = new();

    /// <summary>Static cohorts by id: the person uuids in each.</summary>
    public ConcurrentDictionary<int, ConcurrentDictionary<string, bool>> Cohorts { get; } = new();

    /// <summary>The person_ids of every add_persons_to_static_cohort request that was accepted.</summary>
    public ConcurrentQueue<string[]> CohortRequests { get; } = new();

    /// <summary>Statuses to answer the next requests with (429 carries Retry-After: 1), before serving normally.</summary>
    public ConcurrentQueue<int> Failures { get; } = new();

    /// <summary>Details of 400 answers for the next queries (a query PostHog cannot run).</summary>
    public ConcurrentQueue<string> BadQueries { get; } = new();

    /// <summary>When set, every request is answered with this status (PostHog down).</summary>
    public int AlwaysFail { get; set; }

    /// <summary>How many of the next queries hang until the client gives up.</summary>
    public int HangingQueries;

    private FakePostHog()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Use(async (http, next) =>
        {
            Arrivals.Enqueue((DateTimeOffset.UtcNow, http.Request.Path.Value ?? ""));
            if (http.Request.Headers.Authorization.ToString() != "Bearer " + Token)
            {
                await Error(http, 401, "authentication_error", "authentication_failed", "Personal API key found in request Authorization header is invalid.");
                return;
            }
            var status = AlwaysFail;
            if (status != 0 || Failures.TryDequeue(out status))
            {
                if (status == 429)
                {
                    http.Response.Headers.RetryAfter = "1";
                    await Error(http, 429, "throttled_error", "throttled", "Request was throttled. Expected available in 1 second.");
                }
                else await Error(http, status, "server_error", "error", "A server error occurred.");
                return;
            }
            await next(http);
        });
        _app.MapPost("/api/projects/{project:int}/query/", QueryAsync);
        _app.MapMethods("/api/projects/{project:int}/cohorts/{cohort:int}/add_persons_to_static_cohort/", ["PATCH"], AddPersonsAsync);
    }

    public static async Task<FakePostHog> StartAsync()
    {
        var server = new FakePostHog();
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    private async Task QueryAsync(HttpContext http, int project)
    {
        if (project != ProjectId)
        {
            await Error(http, 404, "invalid_request", "not_found", "Not found.");
            return;
        }
        var body = await JsonNode.ParseAsync(http.Request.Body);
        var query = body?["query"];
        if (query?["kind"]?.GetValue<string>() != "HogQLQuery" || query["query"]?.GetValue<string>() is not { } text)
        {
            await Error(http, 400, "validation_error", "invalid_input", "Validation error: query.kind must be HogQLQuery with a query.", "query");
            return;
        }
        var values = query["values"] as JsonObject ?? new JsonObject();
        Queries.Enqueue(new Query(text, (JsonObject)values.DeepClone(), DateTimeOffset.UtcNow));
        if (Interlocked.Decrement(ref HangingQueries) >= 0)
        {
            // Like a query that runs on: nothing comes back until the client stops waiting.
            var aborted = new TaskCompletionSource();
            await using (http.RequestAborted.Register(() => aborted.TrySetResult())) await aborted.Task;
            return;
        }
        Interlocked.Exchange(ref HangingQueries, 0);
        if (BadQueries.TryDequeue(out var detail))
        {
            await Error(http, 400, "validation_error", "query_error", detail);
            return;
        }
        JsonArray rows;
        string[] columns;
        if (text.Contains("FROM person_distinct_ids", StringComparison.Ordinal))
        {
            columns = ["distinct_id", "person_id"];
            var wanted = values["distinct_ids"]?.AsArray().Select(v => v!.GetValue<string>()) ?? [];
            rows = [.. wanted.Where(Persons.ContainsKey).Select(id => (JsonNode)new JsonArray(id, Persons[id]))];
        }
        else
        {
            columns = ["account_id", "subject_distinct_id", "n"];
            var eventName = values["event_name"]?.GetValue<string>() ?? "";
            var all = WindowedCounts.TryGetValue(eventName, out var byWindow)
                ? byWindow(Time(values["window_start"]), Time(values["window_end"]))
                : Counts.TryGetValue(eventName, out var given) ? given : [];
            var page = Page().Match(text);
            var (limit, offset) = page.Success ? (int.Parse(page.Groups[1].Value), int.Parse(page.Groups[2].Value)) : (100, 0);
            rows = [.. all.Skip(offset).Take(limit).Select(r => r!.DeepClone())];
        }
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["results"] = rows,
            ["columns"] = new JsonArray([.. columns.Select(c => (JsonNode)c)]),
            ["types"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonArray(c, c == "n" ? "UInt64" : "String"))]),
            ["hogql"] = text,
            ["hasMore"] = false,
        });
    }

    private async Task AddPersonsAsync(HttpContext http, int project, int cohort)
    {
        if (project != ProjectId || !Cohorts.TryGetValue(cohort, out var members))
        {
            await Error(http, 404, "invalid_request", "not_found", "Not found.");
            return;
        }
        var body = await JsonNode.ParseAsync(http.Request.Body);
        if (body?["person_ids"] is not JsonArray ids)
        {
            await Error(http, 400, "validation_error", "invalid_input", "person_ids must be a list");
            return;
        }
        if (ids.Count == 0 || ids.Count > 1000)
        {
            await Error(http, 400, "validation_error", "invalid_input", ids.Count == 0 ? "person_ids cannot be empty" : "List size exceeds limit");
            return;
        }
        var valid = ids.Select(i => i!.GetValue<string>()).Where(Persons.Values.Contains).ToArray();
        if (valid.Length == 0)
        {
            await Error(http, 400, "validation_error", "invalid_input", "No valid users to add to cohort");
            return;
        }
        foreach (var id in valid) members[id] = true;
        CohortRequests.Enqueue([.. ids.Select(i => i!.GetValue<string>())]);
        await http.Response.WriteAsJsonAsync(new JsonObject { ["success"] = true });
    }

    /// <summary>A window value as the client sends it (ClickHouse's DateTime text, UTC).</summary>
    private static DateTime Time(JsonNode? value) =>
        DateTime.ParseExact(value!.GetValue<string>(), "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    private static Task Error(HttpContext http, int status, string type, string code, string detail, string? attr = null)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new JsonObject { ["type"] = type, ["code"] = code, ["detail"] = detail, ["attr"] = attr });
    }

    [GeneratedRegex(@"LIMIT (\d+) OFFSET (\d+)\s*$")]
    private static partial Regex Page();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
