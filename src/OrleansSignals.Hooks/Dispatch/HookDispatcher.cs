using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// The dispatcher every <c>workers</c> host runs: wakes on <c>NOTIFY signals_outbox</c> (or the poll
/// interval), fans the outbox out into messages, leases due messages and sends them, each endpoint
/// within its concurrency and rate limits so a slow or dead endpoint never holds up the others.
/// </summary>
public sealed partial class HookDispatcher(
    NpgsqlDataSource dataSource, Fanout fanout, Claimer claimer, DeliveryClient client, ResultWriter results,
    RetrySchedule schedule, IOptions<HookOptions> options, TimeProvider time, ILogger<HookDispatcher> logger) : BackgroundService
{
    public const string Channel = "signals_outbox";

    private readonly Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<Guid, int> _inFlight = [];
    private readonly ConcurrentDictionary<(Guid, int), SlidingLog> _limiters = new();
    private int _total;  // guarded by _inFlight, like it

    // Set by an outbox NOTIFY (or the poll): fan-out only runs when there may be something to fan out,
    // not on every wake-up a finished attempt causes.
    private int _outboxDirty = 1;

    // Set when messages may have become claimable: due messages were created (NOTIFY), outcomes were recorded
    // (an ordered endpoint's next message, a closed circuit), a full endpoint freed a slot, or the poll
    // interval passed (retries and expired leases fall due without a signal). Messages the fan-out hands
    // over need no claim, so a host keeping up with its load rarely claims at all.
    private int _claimDirty = 1;

    private void Wake() => _wake.Writer.TryWrite(true);

    private void WakeToClaim()
    {
        Volatile.Write(ref _claimDirty, 1);
        Wake();
    }

    private void OnNotification(string payload)
    {
        if (payload != MessagesPayload) Volatile.Write(ref _outboxDirty, 1);
        WakeToClaim();
    }

    /// <summary>The NOTIFY payload sent when due messages were created (other hosts help deliver them).</summary>
    public const string MessagesPayload = "messages";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var listening = ListenAsync(stoppingToken);
        var writing = results.RunAsync(WakeToClaim, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                // Fan-out and claim take turns in this one loop: the slots the fan-out hands out and those
                // the claim counts are then never taken twice.
                if (Interlocked.Exchange(ref _outboxDirty, 0) == 1)
                {
                    var fanned = await fanout.RunOnceAsync(TryReserve, Release, stoppingToken);
                    foreach (var message in fanned.Leased) _ = DeliverAsync(message, stoppingToken);
                    if (fanned.Taken >= o.FanoutBatchSize || fanned.Taken < 0) Volatile.Write(ref _outboxDirty, 1);
                    more |= fanned.Taken >= o.FanoutBatchSize;
                }
                var free = o.MaxInFlight - Volatile.Read(ref _total);
                if (free > 0 && Interlocked.Exchange(ref _claimDirty, 0) == 1)
                {
                    var claimed = await claimer.ClaimAsync(InFlightSnapshot(), free, stoppingToken);
                    foreach (var message in claimed)
                    {
                        Reserve(message.EndpointId);
                        _ = DeliverAsync(message, stoppingToken);
                    }
                    if (claimed.Count == free) Volatile.Write(ref _claimDirty, 1);
                    more |= claimed.Count == free;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogLoopFailed(ex);
                Volatile.Write(ref _claimDirty, 1);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            if (more) continue;
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            poll.CancelAfter(o.PollInterval);
            await ((Task)_wake.Reader.WaitToReadAsync(poll.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!_wake.Reader.TryRead(out _))
            {
                // The poll interval passed.
                Volatile.Write(ref _outboxDirty, 1);
                Volatile.Write(ref _claimDirty, 1);
            }
        }
        await Task.WhenAll(listening, writing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private Dictionary<Guid, int> InFlightSnapshot()
    {
        lock (_inFlight) return new Dictionary<Guid, int>(_inFlight);
    }

    /// <summary>Takes one of this host's slots for the endpoint if one is free (fan-out hand-off).</summary>
    private bool TryReserve(Guid endpoint)
    {
        var o = options.Value;
        lock (_inFlight)
        {
            if (_total >= o.MaxInFlight || _inFlight.GetValueOrDefault(endpoint) >= o.MaxConcurrencyPerEndpoint) return false;
            Reserve(endpoint);
            return true;
        }
    }

    private void Reserve(Guid endpoint)
    {
        lock (_inFlight)
        {
            _inFlight[endpoint] = _inFlight.GetValueOrDefault(endpoint) + 1;
            _total++;
        }
    }

    /// <summary>Gives a slot back; when the endpoint or the host was full, messages may be waiting for it.</summary>
    private void Release(Guid endpoint)
    {
        var o = options.Value;
        bool wasFull;
        lock (_inFlight)
        {
            var n = _inFlight[endpoint];
            wasFull = n >= o.MaxConcurrencyPerEndpoint || _total >= o.MaxInFlight;
            if (n == 1) _inFlight.Remove(endpoint);
            else _inFlight[endpoint] = n - 1;
            _total--;
        }
        if (wasFull) WakeToClaim();
    }

    private async Task DeliverAsync(ClaimedMessage message, CancellationToken stoppingToken)
    {
        var handedOver = false;  // a failure's slot is given back by the result writer, once the failure is written
        try
        {
            var slot = message.RateLimitPerSecond is { } rate ? await Limiter(message.EndpointId, rate).WaitAsync(stoppingToken) : null;
            var at = time.GetUtcNow();
            AttemptResult result;
            try
            {
                result = await client.SendAsync(message, stoppingToken);
            }
            finally
            {
                slot?.Complete(time.GetUtcNow());
            }
            if (message.Attempts == 0) LogFirstAttempt(message.EndpointId, message.EventId, (at - message.EventAt).TotalMilliseconds);
            var outcome = DeliveryOutcome.Classify(message, result, at, schedule);
            var tag = new KeyValuePair<string, object?>("result", outcome.Status == DeliveryOutcome.Pending ? "retry" : outcome.Status);
            Storage.SignalsMetrics.HookDeliveries.Add(1, tag);
            Storage.SignalsMetrics.HookDeliveryDuration.Record(result.Latency.TotalSeconds, tag);
            if (outcome.Status == DeliveryOutcome.Delivered)
            {
                // A success changes nothing a claim reads (no circuit opens): the slot is free at once, and the
                // endpoint's next message need not wait for the result writer's next commit.
                results.Add(outcome);
            }
            else
            {
                // A failure may open the circuit again (a failed half-open probe): a claim must not count this slot
                // free before that is written, or a second probe would follow the first at once.
                results.Add(outcome, () => Release(message.EndpointId));
                handedOver = true;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the message is sent again, by whichever host is up.
        }
        finally
        {
            if (!handedOver) Release(message.EndpointId);
        }
    }

    /// <summary>
    /// A sliding log per endpoint (per host) for <c>rate_limit_per_second</c>: no second, however it is cut, holds more
    /// than the rate at the receiver (a token bucket refilled each second lets twice the rate through around a refill).
    /// Waiting attempts queue.
    /// </summary>
    private SlidingLog Limiter(Guid endpoint, int rate) => _limiters.GetOrAdd((endpoint, rate), _ => new SlidingLog(rate, TimeSpan.FromSeconds(1), time));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);
                OnNotification("");  // anything committed while not listening
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(LogLevel.Debug, "Endpoint {Endpoint} event {EventId} first attempt {LatencyMs:F1} ms after the event")]
    private partial void LogFirstAttempt(Guid endpoint, Guid eventId, double latencyMs);

    [LoggerMessage(LogLevel.Warning, "Hook dispatch loop failed; retrying in 1 s")]
    private partial void LogLoopFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "Listening for outbox notifications failed; reconnecting (the poll interval still runs)")]
    private partial void LogListenFailed(Exception ex);
}
