namespace OrleansSignals.Hooks;

/// <summary>The event types an endpoint may subscribe to (the <c>type</c> of the envelope).</summary>
public static class HookEventTypes
{
    public const string InsightTriggered = "insight.triggered";
    public const string InsightResolved = "insight.resolved";
    public const string HealthScoreChanged = "health_score.changed";
    public const string LifecycleEvent = "lifecycle.event";
    public const string SignalDetected = "signal.detected";
    public const string BillingThresholdReached = "billing.threshold_reached";
    public const string ExportCompleted = "export.completed";
    public const string WebhookTest = "webhook.test";

    public static readonly IReadOnlyList<string> All =
        [InsightTriggered, InsightResolved, HealthScoreChanged, LifecycleEvent, SignalDetected, BillingThresholdReached, ExportCompleted, WebhookTest];
}
