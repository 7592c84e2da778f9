namespace OrleansSignals.Signals.Definitions;

/// <summary>
/// A customer's (or an agent's) signal: subjects whose count of <see cref="EventName"/> (source <c>events</c>) or of
/// triggers of the insight <see cref="EventName"/> (source <c>insight</c>) over the window meets the condition.
/// </summary>
public sealed record SignalDefinition(
    string Type,
    string Name,
    string Source,
    string? EventName,
    string ConditionOperator,
    double ConditionValue,
    int TimeWindowDays,
    string Level,
    bool IsActive,
    string Origin,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null);
