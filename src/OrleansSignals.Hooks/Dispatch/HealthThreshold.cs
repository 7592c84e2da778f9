namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Whether a <c>health_score.changed</c> event goes to an endpoint, measured from the endpoint's baseline for
/// the account rather than from the transition's own old value: the grain records a move only once it
/// reaches the health model's <c>min_change</c>, so thresholds larger than that are crossed by several
/// transitions together (a slide of four 5-point drops crosses a 15-point threshold at the third).
/// </summary>
public static class HealthThreshold
{
    /// <summary>
    /// Decides on one transition from <paramref name="old"/> to <paramref name="score"/>. <paramref name="baseline"/>
    /// is the score last sent for the account (null: none yet; the transition's old value is then the first
    /// score seen). Returns whether to send, and the baseline afterwards: the new score when sent; the new
    /// score when it moved in a direction the endpoint does not watch (a drop-only hook measures each drop
    /// from the latest peak); otherwise unchanged. An account's first score (no old value) is never sent
    /// and becomes the baseline.
    /// </summary>
    public static (bool Send, int Baseline) Decide(int? baseline, int? old, int score, int? dropGte, int? riseGte)
    {
        if (old is null) return (false, score);
        var from = baseline ?? old.Value;
        if ((dropGte is { } drop && from - score >= drop) || (riseGte is { } rise && score - from >= rise)) return (true, score);
        if (riseGte is null && score > from) return (false, score);
        if (dropGte is null && score < from) return (false, score);
        return (false, from);
    }

    /// <summary>The endpoint's thresholds: neither filter set means both directions at the default.</summary>
    public static (int? Drop, int? Rise) For(EndpointRoute endpoint, int defaultThreshold) =>
        (endpoint.Filters?.HealthDropGte, endpoint.Filters?.HealthRiseGte) switch
        {
            (null, null) => (defaultThreshold, defaultThreshold),
            var given => given,
        };
}
