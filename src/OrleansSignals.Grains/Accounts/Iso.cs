namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// Timestamps at one precision everywhere: microseconds, PostgreSQL's. An account's state, its history rows
/// and the JSON on the wire then show the same instant as the same text, so a client can match an insight's
/// <c>since</c> or a lifecycle date with its history entry by equality.
/// </summary>
public static class Iso
{
    /// <summary>ISO 8601 UTC text (history old/new values), at most six fractional digits.</summary>
    public static string Format(DateTimeOffset at) => Storage.UtcDateTimeOffsetConverter.Format(at);

    /// <summary>Drops the tenth of a microsecond that .NET keeps and PostgreSQL does not (as Npgsql does when it writes).</summary>
    public static DateTimeOffset Microseconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % 10));
}
