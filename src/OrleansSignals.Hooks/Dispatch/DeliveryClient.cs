using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansSignals.Hooks.Endpoints;
using OrleansSignals.Hooks.Signing;
using Polly;
using Polly.Timeout;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Sends one attempt: signed POST, no redirects, the SSRF guard on connect, a Polly timeout over the
/// whole exchange, and at most <see cref="ExcerptBytes"/> of the response read.
/// </summary>
public sealed class DeliveryClient : IDisposable
{
    public const int ExcerptBytes = 4096;

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _timeout;
    private readonly TimeProvider _time;

    public DeliveryClient(IOptions<HookOptions> options, TimeProvider time)
    {
        var egress = EgressPolicy.From(options.Value);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Value.Timeout,
            ConnectCallback = (context, ct) => DestinationGuard.ConnectAsync(context.DnsEndPoint, egress, ct),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("OrleansSignals-Hooks", "1"));
        _time = time;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(options.Value.Timeout).Build();
    }

    public async Task<AttemptResult> SendAsync(ClaimedMessage message, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await _timeout.ExecuteAsync(async ct => await ExchangeAsync(message, clock, ct), cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            return new AttemptResult(null, clock.Elapsed, $"Timed out after {ex.Timeout.TotalSeconds:0.#} s", null, null);
        }
        catch (HttpRequestException ex) when (ex.InnerException is DestinationRefusedException refused)
        {
            return new AttemptResult(null, clock.Elapsed, refused.Message, null, null, Refused: true);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(null, clock.Elapsed, ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message, null, null);
        }
        catch (IOException ex)
        {
            return new AttemptResult(null, clock.Elapsed, ex.Message, null, null);
        }
    }

    private async Task<AttemptResult> ExchangeAsync(ClaimedMessage message, Stopwatch clock, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(message.Format == WebhookFormats.Slack ? Payloads.Slack(message.Payload) : message.Payload);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var id = message.EventId.ToString();
        request.Headers.TryAddWithoutValidation("webhook-id", id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSigner.Sign(id, timestamp, body, message.Secrets));
        if (message.Headers is { } custom)
            foreach (var (name, value) in custom) request.Headers.TryAddWithoutValidation(name, value);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var excerpt = await ReadExcerptAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        return new AttemptResult(status, clock.Elapsed, Succeeds(status) ? null : $"HTTP {status}", excerpt, RetryAfter(response));
    }

    private static bool Succeeds(int status) => status is >= 200 and < 300;

    /// <summary>At most <see cref="ExcerptBytes"/> bytes, as text; the rest is never read.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ExcerptBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0) total += read;
        return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary>Retry-After on 429 and 503 (seconds or an HTTP date), capped at a day.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.ServiceUnavailable)) return null;
        return Dispatch.RetryAfter.Of(response, _time.GetUtcNow());
    }

    public void Dispose() => _http.Dispose();
}
