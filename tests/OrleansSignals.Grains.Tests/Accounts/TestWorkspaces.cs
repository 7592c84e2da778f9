using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

/// <summary>Workspace configurations for account turn tests.</summary>
internal static class TestWorkspaces
{
    /// <summary>A model whose score never moves by itself: 50, whatever the account does.</summary>
    public static readonly HealthModel Flat = new(50, []);

    /// <summary>The score is the "x" trait (0 to 100), so a test sets the score it wants.</summary>
    public static HealthModel TraitDriven(int minChange = HealthModel.DefaultMinChange) => new(0,
        [new HealthComponent { Type = HealthComponentTypes.Metric, Source = MetricSources.Trait, Property = "x", Min = 0, Max = 100, Weight = 100 }],
        minChange);

    public static WorkspaceConfig Config(
        IReadOnlyList<InsightDefinition>? definitions = null,
        HealthModel? model = null,
        IReadOnlyList<string>? lifecycle = null,
        long version = 1) =>
        new("acme-ws", version, definitions ?? [], model ?? Flat, lifecycle ?? []);

    public static InsightDefinition GoneDark(int days, string? eventName = null) => new()
    {
        Key = "gone_dark", Kind = InsightKinds.Inactivity, Days = days, Event = eventName,
    };

    public static InsightDefinition BigAccount { get; } = new()
    {
        Key = "big_account", Kind = InsightKinds.Metric, Source = MetricSources.Trait, Property = "mrr", Operator = "gt", Value = 100,
    };
}
