using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Api.Accounts;

/// <summary><c>?fields=</c> on account reads: which parts of an <see cref="AccountView"/> to return.</summary>
public static class AccountFields
{
    /// <summary>Field names <c>?fields=</c> accepts; <c>account_id</c> is always returned.</summary>
    public static readonly string[] All = ["health_score", "insights", "lifecycle", "traits", "updated_at"];

    /// <summary>Only the fields asked for (plus the id), in the documented order.</summary>
    public static Dictionary<string, object?> Select(AccountView view, IReadOnlySet<string> fields)
    {
        var selected = new Dictionary<string, object?> { ["account_id"] = view.AccountId };
        if (fields.Contains("health_score")) selected["health_score"] = view.HealthScore;
        if (fields.Contains("insights")) selected["insights"] = view.Insights;
        if (fields.Contains("lifecycle")) selected["lifecycle"] = view.Lifecycle;
        if (fields.Contains("traits")) selected["traits"] = view.Traits;
        if (fields.Contains("updated_at")) selected["updated_at"] = view.UpdatedAt;
        return selected;
    }
}
