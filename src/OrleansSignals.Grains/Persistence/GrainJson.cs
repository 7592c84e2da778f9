using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Persistence;

/// <summary>How grain state is written to its json column (accounts.state; workspace_state.state is jsonb).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(HourCountsConverter), typeof(MetricPointConverter)])]
[JsonSerializable(typeof(AccountState))]
[JsonSerializable(typeof(WorkspaceState))]
internal sealed partial class GrainJson : JsonSerializerContext;
