using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansSignals.Hooks.Dispatch;

namespace OrleansSignals.Signals.Attio;

/// <summary>
/// Attio's REST API v2, the calls delivery needs: assert a company (by domain) or a person (by email address), then
/// assert the record's entry in a list. Every request of one API key goes through that key's rate limit (a sliding
/// log, <see cref="AttioOptions.RateLimit"/> per <see cref="AttioOptions.RateWindow"/>) and concurrency bound; a 429
/// pauses the key until its Retry-After, and 429 and 5xx are retried up to <see cref="AttioOptions.MaxTries"/>.
/// </summary>
public sealed class AttioClient(HttpClient http, IOptions<AttioOptions> options, TimeProvider time)
{
    private sealed record KeyLimits(SlidingLog Log, SemaphoreSlim InFlight);

    private readonly ConcurrentDictionary<string, KeyLimits> _limits = new();

    /// <summary>Requests sent, for the benchmark's requests-per-occurrence figure.</summary>
    public long RequestsSent => Interlocked.Read(ref _sent);

    private long _sent;

    /// <summary>PUT /v2/objects/companies/records?matching_attribute=domains: the company's record id.</summary>
    public Task<string> AssertCompanyAsync(string apiKey, string domain, CancellationToken cancellationToken) =>
        AssertRecordAsync(apiKey, "companies", "domains", new JsonObject { ["domains"] = new JsonArray(domain) }, cancellationToken);

    /// <summary>PUT /v2/objects/people/records?matching_attribute=email_addresses: the person's record id.</summary>
    public Task<string> AssertPersonAsync(string apiKey, string email, CancellationToken cancellationToken) =>
        AssertRecordAsync(apiKey, "people", "email_addresses", new JsonObject { ["email_addresses"] = new JsonArray(email) }, cancellationToken);

    /// <summary>PUT /v2/lists/{list}/entries: adds the record to the list, or leaves its entry as it is (asserting twice is harmless).</summary>
    public async Task AssertListEntryAsync(string apiKey, string list, string parentObject, string recordId, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["data"] = new JsonObject { ["parent_record_id"] = recordId, ["parent_object"] = parentObject, ["entry_values"] = new JsonObject() },
        };
        await SendAsync(apiKey, HttpMethod.Put, $"v2/lists/{Uri.EscapeDataString(list)}/entries", body, cancellationToken);
    }

    private async Task<string> AssertRecordAsync(string apiKey, string obj, string matching, JsonObject values, CancellationToken cancellationToken)
    {
        var response = await SendAsync(apiKey, HttpMethod.Put, $"v2/objects/{obj}/records?matching_attribute={matching}",
            new JsonObject { ["data"] = new JsonObject { ["values"] = values } }, cancellationToken);
        return response.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("id", out var id)
               && id.TryGetProperty("record_id", out var record) && record.GetString() is { } recordId
            ? recordId
            : throw new AttioException($"Attio's answer to asserting a {obj} record has no data.id.record_id", permanent: false);
    }

    private async Task<JsonDocument> SendAsync(string apiKey, HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var limits = _limits.GetOrAdd(apiKey, _ => new KeyLimits(
            new SlidingLog(o.RateLimit, o.RateWindow, time), new SemaphoreSlim(o.MaxConcurrency)));
        var payload = body.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            await limits.InFlight.WaitAsync(cancellationToken);
            HttpResponseMessage response;
            SlidingLog.Slot? slot = null;
            try
            {
                slot = await limits.Log.WaitAsync(cancellationToken);
                using var request = new HttpRequestMessage(method, new Uri(o.BaseUrl, path))
                {
                    Content = new StringContent(payload, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(o.Timeout);
                Interlocked.Increment(ref _sent);
                try
                {
                    response = await http.SendAsync(request, timeout.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    if (attempt >= o.MaxTries) throw new AttioException($"Attio did not answer {method} /{path}: {ex.Message}", permanent: false);
                    continue;
                }
            }
            finally
            {
                slot?.Complete(time.GetUtcNow());
                limits.InFlight.Release();
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode) return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
                var status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                {
                    if (attempt >= o.MaxTries) throw new AttioException($"Attio answered {status} to {method} /{path} {attempt} times: {Short(text)}", permanent: false);
                    var wait = RetryAfter(response) ?? TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, attempt - 1)));
                    if (response.StatusCode == HttpStatusCode.TooManyRequests) await limits.Log.PauseUntilAsync(time.GetUtcNow() + wait, cancellationToken);
                    else await Task.Delay(wait, time, cancellationToken);
                    continue;
                }
                throw new AttioException($"Attio refused {method} /{path} with {status}: {Short(text)}", permanent: true);
            }
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => Hooks.Dispatch.RetryAfter.Of(response, time.GetUtcNow());

    private static string Short(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
