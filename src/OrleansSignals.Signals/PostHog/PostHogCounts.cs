using System.Text.Json;

namespace OrleansSignals.Signals.PostHog;

/// <summary>What PostHog answered to a definition's query: the first page's query and values, every page's rows (account_id, distinct_id, n).</summary>
public sealed record PostHogCounts(HogQLQuery Query, IReadOnlyList<JsonElement> Rows, int Pages);
