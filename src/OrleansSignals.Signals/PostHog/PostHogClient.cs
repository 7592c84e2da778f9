using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansSignals.Hooks.Dispatch;
using OrleansSignals.Signals.Attio;

namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// PostHog's API, the calls the pipeline needs: run a HogQL query (POST /api/projects/{id}/query/) and add persons
/// to a static cohort (PATCH /api/projects/{id}/cohorts/{cohort}/add_persons_to_static_cohort/), with a personal
/// API key as bearer token. Each key has its own rate limit for queries and for the other endpoints (sliding logs);
/// a 429 pauses that limit until its Retry-After; 429, 5xx and unanswered requests are retried up to
/// <see cref="PostHogOptions.MaxTries"/>; a query over <see cref="PostHogOptions.QueryTimeout"/> fails at once (it
/// would take as long again); other 4xx fail at once with PostHog's <c>detail</c>.
/// </summary>
public sealed class PostHogClient(HttpClient http, IOptions<PostHogOptions> options, TimeProvider time)
{
    private sealed record KeyLimits(SlidingLog Queries, SlidingLog Other);

    private readonly ConcurrentDictionary<string, KeyLimits> _limits = new();
    private long _sent;

    /// <summary>Requests sent, for figures.</summary>
    public long RequestsSent => Interlocked.Read(ref _sent);

    /// <summary>The rows of a HogQL query (<c>results</c>: one JSON array per row, in the order of its columns).</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(PostHogIntegration p, HogQLQuery query, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        foreach (var (name, value) in query.Values) values[name] = JsonSerializer.SerializeToNode(value);
        var body = new JsonObject { ["query"] = new JsonObject { ["kind"] = "HogQLQuery", ["query"] = query.Query, ["values"] = values } };
        using var answer = await SendAsync(p, HttpMethod.Post, $"api/projects/{Id(p.ProjectId)}/query/", body, isQuery: true, cancellationToken);
        var root = answer.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            throw new PostHogException($"PostHog's query failed: {error.GetString()}", permanent: true);
        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            throw new PostHogException("PostHog's answer to the query has no results array", permanent: true);
        return results.EnumerateArray().Select(r => r.Clone()).ToList();
    }

    /// <summary>Adds persons (their uuids, at most 1,000) to a static cohort; adding one twice changes nothing.</summary>
    public async Task AddPersonsToStaticCohortAsync(PostHogIntegration p, int cohortId, IReadOnlyList<string> personIds, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["person_ids"] = new JsonArray([.. personIds.Select(id => (JsonNode)id)]) };
        using var _ = await SendAsync(p, HttpMethod.Patch, $"api/projects/{Id(p.ProjectId)}/cohorts/{Id(cohortId)}/add_persons_to_static_cohort/", body,
            isQuery: false, cancellationToken);
    }

    private async Task<JsonDocument> SendAsync(PostHogIntegration p, HttpMethod method, string path, JsonObject body, bool isQuery, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var limits = _limits.GetOrAdd(p.ApiKey, _ => new KeyLimits(
            new SlidingLog(o.QueryRateLimit, o.QueryRateWindow, time), new SlidingLog(o.RateLimit, o.RateWindow, time)));
        var log = isQuery ? limits.Queries : limits.Other;
        var timeout = isQuery ? o.QueryTimeout : o.Timeout;
        var payload = body.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            var slot = await SlotAsync(log, isQuery ? o.QueryRateLimit : o.RateLimit, isQuery ? o.QueryRateWindow : o.RateWindow, timeout, cancellationToken);
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(p.Host, path))
                {
                    Content = new StringContent(payload, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", p.ApiKey);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(timeout);
                Interlocked.Increment(ref _sent);
                try
                {
                    response = await http.SendAsync(request, deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new PostHogException($"PostHog did not answer {method} /{path} within {Seconds(timeout)}", permanent: false);
                }
                catch (HttpRequestException ex) when (ex.InnerException is DestinationRefusedException refused)
                {
                    throw new PostHogException(refused.Message, permanent: true);
                }
                catch (HttpRequestException ex)
                {
                    if (attempt >= o.MaxTries) throw new PostHogException($"PostHog did not answer {method} /{path} ({attempt} tries): {ex.Message}", permanent: false);
                    await Task.Delay(Backoff(attempt), time, cancellationToken);
                    continue;
                }
            }
            finally
            {
                slot.Complete(time.GetUtcNow());
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode) return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
                var status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                {
                    if (attempt >= o.MaxTries) throw new PostHogException($"PostHog answered {status} to {method} /{path} {attempt} times: {Detail(text)}", permanent: false);
                    var wait = RetryAfter(response) ?? Backoff(attempt);
                    if (wait > timeout)
                        throw new PostHogException($"PostHog answered {status} to {method} /{path} and asks to wait {Seconds(wait)}, longer than {Seconds(timeout)}: {Detail(text)}", permanent: false);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests) await log.PauseUntilAsync(time.GetUtcNow() + wait, cancellationToken);
                    else await Task.Delay(wait, time, cancellationToken);
                    continue;
                }
                throw new PostHogException($"PostHog refused {method} /{path} with {status}: {Detail(text)}", permanent: true);
            }
        }
    }

    /// <summary>
    /// A place in the key's rate limit, waited for no longer than one request may take: a limit counted per hour
    /// could otherwise hold a run (and its lease) for most of an hour. Past that, the request fails saying why.
    /// </summary>
    private static async Task<SlidingLog.Slot> SlotAsync(SlidingLog log, int limit, TimeSpan window, TimeSpan longest, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(longest);
        try
        {
            return await log.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PostHogException($"PostHog's rate limit for this API key ({limit} per {window}) is used up: no request could start within {Seconds(longest)}", permanent: false);
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, attempt - 1)));

    private TimeSpan? RetryAfter(HttpResponseMessage response) => Hooks.Dispatch.RetryAfter.Of(response, time.GetUtcNow());

    /// <summary>PostHog's errors are <c>{"type", "code", "detail", "attr"}</c>: the detail (and attr) when it is that shape, else the text.</summary>
    private static string Detail(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                var attr = doc.RootElement.TryGetProperty("attr", out var a) && a.ValueKind == JsonValueKind.String ? $" ({a.GetString()})" : "";
                return detail.GetString() + attr;
            }
        }
        catch (JsonException)
        {
            // Not PostHog's JSON (a proxy's page): the text itself, shortened.
        }
        return text.Length <= 300 ? text : text[..300] + "...";
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";
}
