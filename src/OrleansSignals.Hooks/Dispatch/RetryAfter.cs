namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// A response's <c>Retry-After</c> (RFC 9110 10.2.3: seconds, or an HTTP date), as a wait from now: never negative (a
/// date already past means now) and at most a day (a server asking for longer is not waited for blindly). Used by
/// every outgoing client: webhook deliveries, enrichment providers, Attio and PostHog.
/// </summary>
public static class RetryAfter
{
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, TimeSpan.TicksPerDay)) : null;
    }
}
