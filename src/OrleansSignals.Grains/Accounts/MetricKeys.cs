namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// Keys of <see cref="AccountState.Latest"/> and <see cref="AccountState.Series"/>. An event property's key is
/// "{event}␟{property}" (U+001F between them), "any event"'s is "␟{property}" (an event name is never empty), and a
/// trait's is "␞{trait}" (U+001E). Event names cannot hold control characters (the API refuses them), so no
/// event, property or trait name can make one key read as another. Before, ':' separated them, and an event
/// "a:b" with property "c" shared a key with event "a" and property "b:c"; an event named "*" or "@trait" read
/// as "any event" or as a trait.
/// </summary>
public static class MetricKeys
{
    public const char Separator = '\u001F';
    private const char TraitMark = '\u001E';

    /// <summary>The layout these keys have; <see cref="AccountState.KeyFormat"/> records which one a state was written with.</summary>
    public const int Format = 1;

    /// <summary>The key of an event property's value; a null <paramref name="eventName"/> stands for any event.</summary>
    public static string Event(string? eventName, string property) => eventName + Separator + property;

    public static string Trait(string name) => TraitMark + name;

    /// <summary>The trait a key stands for, or null when it is an event property's key.</summary>
    public static string? TraitOf(string key) => key.Length > 0 && key[0] == TraitMark ? key[1..] : null;

    /// <summary>Whether an event property's key is of this property, whatever its event.</summary>
    public static bool IsOfProperty(string key, string property)
    {
        var separator = key.IndexOf(Separator);
        return separator >= 0 && key.AsSpan(separator + 1).SequenceEqual(property);
    }

    /// <summary>
    /// Rewrites the keys of a state written before <see cref="Format"/> 1 ("{event}:{property}", "*:{property}",
    /// "@trait:{name}"), and drops the hour list that versions before that kept under "*" for all events. An old key
    /// that one of <paramref name="read"/> (the keys the workspace's rules read) was written as becomes that key,
    /// so a name holding ':' is split where the rule splits it; any other old key with more than one ':' is read as
    /// an event name holding ':' (property names rarely do). Keys already in the new form (a state an older host
    /// rewrote during a rolling upgrade) stay, and values that meet under one key are merged: the latest value wins,
    /// and series points are combined in time order.
    /// </summary>
    public static void Upgrade(AccountState state, IReadOnlySet<string> read)
    {
        if (state.KeyFormat >= Format) return;
        var asWritten = new Dictionary<string, string>();
        foreach (var key in read) asWritten.TryAdd(OldForm(key), key); // two rules may have been written alike: the first wins
        // In Series, "*:" and "@trait:" meant any event and a trait; in Latest, only ever events of those names.
        string New(string key, bool series) =>
            key.Contains(Separator) || TraitOf(key) is not null ? key
            : asWritten.TryGetValue(key, out var known) && (series || !IsAnyOrTrait(known)) ? known
            : FromFormat0(key, series);
        state.Hours.Remove("*");
        var latest = new Dictionary<string, MetricPoint>();
        foreach (var (key, point) in state.Latest)
        {
            var now = New(key, series: false);
            if (!latest.TryGetValue(now, out var other) || point.At > other.At) latest[now] = point;
        }
        var series = new Dictionary<string, List<MetricPoint>>();
        foreach (var (key, points) in state.Series)
        {
            var now = New(key, series: true);
            series[now] = series.TryGetValue(now, out var other) ? [.. other.Concat(points).OrderBy(p => p.At).TakeLast(AccountTurn.MaxSeriesPoints)] : points;
        }
        state.Latest = latest;
        state.Series = series;
        state.KeyFormat = Format;
    }

    /// <summary>How a key was written before format 1.</summary>
    private static string OldForm(string key)
    {
        if (TraitOf(key) is { } trait) return "@trait:" + trait;
        var separator = key.IndexOf(Separator);
        return (separator == 0 ? "*" : key[..separator]) + ":" + key[(separator + 1)..];
    }

    private static bool IsAnyOrTrait(string key) => TraitOf(key) is not null || key.StartsWith(Separator);

    private static string FromFormat0(string key, bool series)
    {
        if (series && key.StartsWith("@trait:", StringComparison.Ordinal)) return Trait(key["@trait:".Length..]);
        if (series && key.StartsWith("*:", StringComparison.Ordinal)) return Event(null, key[2..]);
        var colon = key.LastIndexOf(':');
        return colon < 0 ? key : Event(key[..colon], key[(colon + 1)..]);
    }
}
