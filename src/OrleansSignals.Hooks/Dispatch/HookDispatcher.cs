using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Threading.RateLimiting;
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
    private readonly ConcurrentDictionary<(Guid, int), RateLimiter> _limiters = new();
    private int _total;

    // Set by an outbox NOTIFY (or the poll): fan-out only runs when there may be something to fan out,
    // not on every wake-up a finished attempt causes.
    private int _outboxDirty = 1;

    private void Wake() => _wake.Writer.TryWrite(true);

    private void OnNotification(string payload)
    {
        if (payload != MessagesPayload) Volatile.Write(ref _outboxDirty, 1);
        Wake();
    }

    /// <summary>The NOTIFY payload fan-out sends when it created messages (other hosts help deliver them).</summary>
    public const string MessagesPayload = "messages";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var listening = ListenAsync(stoppingToken);
        var writing = results.RunAsync(Wake, stoppingToken);
        var nextPrune = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                if (Interlocked.Exchange(ref _outboxDirty, 0) == 1)
                {
                    var taken = await fanout.RunOnceAsync(stoppingToken);
                    if (taken >= o.FanoutBatchSize || taken < 0) Volatile.Write(ref _outboxDirty, 1);
                    more |= taken >= o.FanoutBatchSize;
                }
                var free = o.MaxInFlight - Volatile.Read(ref _total);
                if (free > 0)
                {
                    var claimed = await claimer.ClaimAsync(InFlightSnapshot(), free, stoppingToken);
                    foreach (var message in claimed) Start(message, stoppingToken);
                    more |= claimed.Count == free;
                }
                if (time.GetUtcNow() >= nextPrune)
                {
                    await fanout.PruneAsync(stoppingToken);
                    nextPrune = time.GetUtcNow() + TimeSpan.FromMinutes(10);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogLoopFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            if (more) continue;
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            poll.CancelAfter(o.PollInterval);
            await ((Task)_wake.Reader.WaitToReadAsync(poll.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!_wake.Reader.TryRead(out _)) Volatile.Write(ref _outboxDirty, 1);  // the poll interval passed
        }
        await Task.WhenAll(listening, writing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private Dictionary<Guid, int> InFlightSnapshot()
    {
        lock (_inFlight) return new Dictionary<Guid, int>(_inFlight);
    }

    private void Start(ClaimedMessage message, CancellationToken stoppingToken)
    {
        lock (_inFlight) _inFlight[message.EndpointId] = _inFlight.GetValueOrDefault(message.EndpointId) + 1;
        Interlocked.Increment(ref _total);
        _ = DeliverAsync(message, stoppingToken);
    }

    private async Task DeliverAsync(ClaimedMessage message, CancellationToken stoppingToken)
    {
        try
        {
            if (message.RateLimitPerSecond is { } rate)
            {
                using var lease = await Limiter(message.EndpointId, rate).AcquireAsync(1, stoppingToken);
            }
            var at = time.GetUtcNow();
            var result = await client.SendAsync(message, stoppingToken);
            if (message.Attempts == 0) LogFirstAttempt(message.EndpointId, message.EventId, (at - message.EventAt).TotalMilliseconds);
            results.Add(DeliveryOutcome.Classify(message, result, at, schedule));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the message is sent again, by whichever host is up.
        }
        finally
        {
            lock (_inFlight)
            {
                if (--_inFlight[message.EndpointId] == 0) _inFlight.Remove(message.EndpointId);
            }
            Interlocked.Decrement(ref _total);
            Wake();
        }
    }

    /// <summary>A token bucket per endpoint (per host) for <c>rate_limit_per_second</c>; waiting attempts queue.</summary>
    private RateLimiter Limiter(Guid endpoint, int rate) => _limiters.GetOrAdd((endpoint, rate), _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = rate,
        TokensPerPeriod = rate,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    }));

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
