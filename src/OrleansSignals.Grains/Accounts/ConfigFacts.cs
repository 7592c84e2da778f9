using System.Runtime.CompilerServices;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// What every account turn derives from its workspace's configuration, computed once per
/// configuration version instead of once per turn (a configuration is immutable).
/// </summary>
internal sealed class ConfigFacts
{
    private static readonly ConditionalWeakTable<WorkspaceConfig, ConfigFacts> Cache = [];

    public required IReadOnlySet<string> DefinitionKeys { get; init; }

    /// <summary>The series anomaly insights read; no other property history is kept.</summary>
    public required IReadOnlySet<string> WatchedSeries { get; init; }

    public required int RetentionDays { get; init; }

    /// <summary>The metric keys the rules read by name: watched series, and metrics of a named event (see <see cref="MetricKeys.Upgrade"/>).</summary>
    public required IReadOnlySet<string> MetricKeysRead { get; init; }

    public static ConfigFacts Of(WorkspaceConfig config) => Cache.GetValue(config, static c => new ConfigFacts
    {
        DefinitionKeys = c.Definitions.Select(d => d.Key).ToHashSet(),
        WatchedSeries = c.Definitions.Where(d => d.Kind == InsightKinds.Anomaly).Select(InsightEvaluator.SeriesKey).ToHashSet(),
        RetentionDays = AccountTurn.RetentionDays(c),
        MetricKeysRead = c.Definitions.Where(d => d.Kind == InsightKinds.Anomaly).Select(InsightEvaluator.SeriesKey)
            .Concat(c.Definitions.Where(d => d.Kind == InsightKinds.Metric && d.Source == MetricSources.Event && d.Event is not null).Select(d => MetricKeys.Event(d.Event, d.Property!)))
            .Concat(c.HealthModel.Components.Where(m => m.Source == MetricSources.Event && m.Event is not null && m.Property is not null).Select(m => MetricKeys.Event(m.Event, m.Property!)))
            .ToHashSet(),
    });
}
