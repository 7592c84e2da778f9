using System.Globalization;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>The delay before each attempt (<see cref="HookOptions.RetrySchedule"/>), with jitter.</summary>
public sealed class RetrySchedule
{
    private readonly double _jitter;

    public RetrySchedule(IReadOnlyList<TimeSpan> delays, double jitter)
    {
        Delays = delays;
        _jitter = jitter;
    }

    public IReadOnlyList<TimeSpan> Delays { get; }

    /// <summary>Attempts before a message is a dead letter.</summary>
    public int Attempts => Delays.Count;

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based; attempt 1 is the first), jittered.</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var delay = Delays[Math.Clamp(attempt - 1, 0, Delays.Count - 1)];
        var factor = 1 + (Random.Shared.NextDouble() * 2 - 1) * _jitter;
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }

    /// <summary>Parses "0s,5s,5m,30m,2h"; null and an error message when it does not parse.</summary>
    public static (IReadOnlyList<TimeSpan>? Delays, string? Error) Parse(string text)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var unit = part.EndsWith("ms", StringComparison.Ordinal) ? "ms" : part[^1..];
            if (!double.TryParse(part[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
                return (null, $"'{part}' is not a delay such as 500ms, 5s, 5m, 2h or 1d");
            TimeSpan? delay = unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                _ => null,
            };
            if (delay is null) return (null, $"'{part}' has no unit (ms, s, m, h, d)");
            delays.Add(delay.Value);
        }
        return delays.Count == 0 ? (null, "the schedule needs at least one attempt") : (delays, null);
    }
}
