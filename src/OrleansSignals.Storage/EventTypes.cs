namespace OrleansSignals.Storage;

/// <summary>
/// The names of everything the product tells its users about (a webhook envelope's <c>type</c>, a history row's
/// <c>type</c>), defined once.
/// </summary>
public static class EventTypes
{
    public const string InsightTriggered = "insight.triggered";
    public const string InsightResolved = "insight.resolved";
    public const string HealthScoreChanged = "health_score.changed";
    public const string LifecycleEvent = "lifecycle.event";
    public const string SignalDetected = "signal.detected";
    public const string BillingThresholdReached = "billing.threshold_reached";
    public const string ExportCompleted = "export.completed";
    public const string WebhookTest = "webhook.test";

    /// <summary>Account transitions: what account turns notice, written to history with the hook's id.</summary>
    public static readonly IReadOnlyList<string> Transitions = [InsightTriggered, InsightResolved, HealthScoreChanged, LifecycleEvent];

    /// <summary>Every type an endpoint may subscribe to.</summary>
    public static readonly IReadOnlyList<string> All =
        [InsightTriggered, InsightResolved, HealthScoreChanged, LifecycleEvent, SignalDetected, BillingThresholdReached, ExportCompleted, WebhookTest];
}
