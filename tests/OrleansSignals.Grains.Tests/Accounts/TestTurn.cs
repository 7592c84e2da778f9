using System.Globalization;
using System.Text.Json;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Accounts;

/// <summary>Runs <see cref="AccountTurn"/> as an account "ws/acc" would, with the turn's time as its cause.</summary>
internal static class TestTurn
{
    public static List<Transition> Run(AccountState state, WorkspaceConfig config, IReadOnlyList<IncomingEvent> events,
        IReadOnlyDictionary<string, JsonElement>? traits, DateTimeOffset now) =>
        AccountTurn.Run(state, config, events, traits, now, ("ws", "acc", "t" + now.UtcTicks.ToString(CultureInfo.InvariantCulture)));
}
