using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Tests.Accounts;

/// <summary>Builds incoming events and account states for tests.</summary>
internal static class TestEvents
{
    /// <summary>A fixed instant 20 minutes into an hour, so hour boundaries are visible in the tests.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 20, 0, TimeSpan.Zero);

    public static IncomingEvent Event(string name, DateTimeOffset at, params (string Property, double Value)[] properties) =>
        new(Guid.NewGuid().ToString("N"), "acme", null, name, at, null,
            properties.Length == 0 ? null : properties.ToDictionary(p => p.Property, p => p.Value));

    /// <summary>Records that the account sent <paramref name="name"/> at <paramref name="at"/>, as a turn would.</summary>
    public static AccountState Seen(this AccountState state, string name, DateTimeOffset at)
    {
        if (!state.LastSeen.TryGetValue(name, out var seen) || at > seen) state.LastSeen[name] = at;
        if (state.LastEventAt is null || at > state.LastEventAt) state.LastEventAt = at;
        if (!state.Hours.TryGetValue(name, out var hours)) state.Hours[name] = hours = [];
        EventWindow.Add(hours, at);
        return state;
    }
}
