namespace OrleansSignals.Hooks.Dispatch;

/// <summary>An attempt and what it means for its message: delivered, dead, or pending until <see cref="NextAttemptAt"/>.</summary>
public sealed record DeliveryOutcome(ClaimedMessage Message, AttemptResult Result, DateTimeOffset AttemptedAt, string Status, DateTimeOffset? NextAttemptAt)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";

    /// <summary>
    /// Success is 2xx only. 410 makes the message dead (and disables the endpoint); so does a destination the
    /// private-network guard refuses (every later attempt would be refused too). Otherwise the next
    /// attempt comes after the schedule's delay, or after Retry-After on 429 and 503; after the last
    /// attempt of the schedule the message is a dead letter.
    /// </summary>
    public static DeliveryOutcome Classify(ClaimedMessage message, AttemptResult result, DateTimeOffset at, RetrySchedule schedule)
    {
        if (result.Succeeded) return new(message, result, at, Delivered, null);
        var attempt = message.Attempts + 1;
        if (result.Gone || result.Refused || attempt >= schedule.Attempts) return new(message, result, at, Dead, null);
        return new(message, result, at, Pending, at + (result.RetryAfter ?? schedule.DelayBefore(attempt + 1)));
    }
}
