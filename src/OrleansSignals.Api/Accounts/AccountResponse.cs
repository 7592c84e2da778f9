using System.Text.Json;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Api.Accounts;

/// <summary>An account's current state on the wire.</summary>
public sealed record AccountResponse(
    string AccountId,
    int HealthScore,
    IReadOnlyDictionary<string, InsightStatus> Insights,
    IReadOnlyDictionary<string, DateTimeOffset> Lifecycle,
    IReadOnlyDictionary<string, JsonElement> Traits,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Field names <c>?fields=</c> accepts; <c>account_id</c> is always returned.</summary>
    public static readonly string[] Fields = ["health_score", "insights", "lifecycle", "traits", "updated_at"];

    public static AccountResponse From(AccountView view) =>
        new(view.AccountId, view.HealthScore, view.Insights, view.Lifecycle, view.Traits, view.UpdatedAt);

    /// <summary>Only the fields asked for (plus the id), in the documented order.</summary>
    public Dictionary<string, object?> Select(IReadOnlySet<string> fields)
    {
        var selected = new Dictionary<string, object?> { ["account_id"] = AccountId };
        if (fields.Contains("health_score")) selected["health_score"] = HealthScore;
        if (fields.Contains("insights")) selected["insights"] = Insights;
        if (fields.Contains("lifecycle")) selected["lifecycle"] = Lifecycle;
        if (fields.Contains("traits")) selected["traits"] = Traits;
        if (fields.Contains("updated_at")) selected["updated_at"] = UpdatedAt;
        return selected;
    }
}
