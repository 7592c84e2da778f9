using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansSignals.Enrichment.Providers;
using OrleansSignals.Hooks.Dispatch;
using Polly;
using Polly.Retry;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>
/// Calls a provider for one item and step: each attempt waits for the provider's rate limit and a concurrency slot,
/// is bounded by the provider's timeout and recorded in the audit log; a Polly retry pipeline repeats attempts on
/// 429, 408, 5xx, timeouts and network errors with exponential backoff, waiting at least what Retry-After asks.
/// </summary>
public sealed class ProviderCaller : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<AttemptOutcome> _retry;
    private readonly ProviderLimits _limits;
    private readonly WorkflowStore _workflow;
    private readonly TimeProvider _time;
    private readonly EnrichmentOptions _options;

    public ProviderCaller(IOptions<EnrichmentOptions> options, ProviderLimits limits, WorkflowStore workflow, TimeProvider time)
    {
        _options = options.Value;
        _limits = limits;
        _workflow = workflow;
        _time = time;
        var allowPrivate = _options.AllowPrivateNetworks;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = (context, ct) => DestinationGuard.ConnectAsync(context.DnsEndPoint, new EgressPolicy(allowPrivate, AllowLoopback: false, "Signals:Enrichment:AllowPrivateNetworks", LoopbackSetting: null), ct),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _retry = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Retryable: true }),
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                // The provider's Retry-After when it sends one (capped at MaxRetryDelay), else the exponential backoff.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result?.RetryAfter is { } after
                    ? TimeSpan.FromTicks(Math.Min(after.Ticks, _options.MaxRetryDelay.Ticks))
                    : null),
            })
            .Build();
    }

    /// <summary>Runs the step for the item to its end (succeeded or failed); false when it was left alone (cancelled or taken).</summary>
    public async Task<bool> RunAsync(Provider provider, Guid batchId, int step, WorkItem item, CancellationToken cancellationToken)
    {
        var number = item.PriorAttempts;
        var local = 0;
        var kept = true;
        var limit = _limits.For(provider);
        await _retry.ExecuteAsync(async ct =>
        {
            number++;
            local++;
            using (var lease = await limit.Rate.AcquireAsync(1, ct))
            {
                if (!lease.IsAcquired) throw new InvalidOperationException("The provider's rate limiter refused a permit.");
            }
            await limit.Slots.WaitAsync(ct);
            var started = Stopwatch.GetTimestamp();
            AttemptOutcome outcome;
            try
            {
                outcome = await SendAsync(provider, item, ct);
            }
            finally
            {
                limit.Slots.Release();
            }
            var final = outcome.Status == AttemptOutcome.Rejected || (outcome.Retryable && (local > _options.MaxRetries || _options.MaxRetries == 0));
            kept = await _workflow.RecordAsync(new WorkflowStore.Attempt(provider.WorkspaceId, batchId, item.ItemId, step, provider.Name, number, outcome,
                final, Stopwatch.GetElapsedTime(started), _time.GetUtcNow()), CancellationToken.None);
            // No retry after the last attempt, nor when another activation (or a cancel) has settled the item.
            return kept && !final ? outcome : outcome with { Status = AttemptOutcome.Rejected };
        }, cancellationToken);
        return kept;
    }

    private async Task<AttemptOutcome> SendAsync(Provider provider, WorkItem item, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(provider.TimeoutMs);
        using var request = new HttpRequestMessage(new HttpMethod(provider.Method), provider.Url)
        {
            Content = new StringContent(item.Body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in provider.Headers) request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var json = WorkflowStore.JsonOrNull(body);
            if (response.IsSuccessStatusCode)
            {
                return json is not null
                    ? new AttemptOutcome(AttemptOutcome.Succeeded, status, json, null, null)
                    : new AttemptOutcome(AttemptOutcome.Rejected, status, null, "the response is not a JSON object or array: " + Clip(body), null);
            }
            var retryable = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500;
            return new AttemptOutcome(retryable ? AttemptOutcome.Transient : AttemptOutcome.Rejected, status, json,
                $"HTTP {status}" + (json is null && body.Length > 0 ? ": " + Clip(body) : ""), RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(AttemptOutcome.Transient, null, null, $"no response within {provider.TimeoutMs} ms", null);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptOutcome(AttemptOutcome.Transient, null, null, ex.Message, null);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => Hooks.Dispatch.RetryAfter.Of(response, _time.GetUtcNow());

    private static string Clip(string body) => body.Length <= 500 ? body : body[..500] + "…";

    public void Dispose() => _http.Dispose();
}
