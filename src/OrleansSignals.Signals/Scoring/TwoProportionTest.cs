namespace OrleansSignals.Signals.Scoring;

/// <summary>
/// Conversion of the matched accounts (c1 of n1) against the rest (c2 of n2): lift (the ratio of the two rates) with
/// a 95% confidence interval (log method), and a two-sided two-proportion z-test with the pooled rate.
/// </summary>
public sealed record TwoProportionTest(int N1, int C1, int N2, int C2)
{
    public double? Rate1 => N1 == 0 ? null : (double)C1 / N1;

    public double? Rate2 => N2 == 0 ? null : (double)C2 / N2;

    public double? Lift => Rate1 is { } p1 && Rate2 is { } p2 && p2 > 0 ? p1 / p2 : null;

    /// <summary>95% interval of the lift; null when a group has no conversion (the log method needs both).</summary>
    public (double Low, double High)? LiftInterval
    {
        get
        {
            if (Lift is not { } lift || C1 == 0 || C2 == 0) return null;
            var se = Math.Sqrt(1.0 / C1 - 1.0 / N1 + 1.0 / C2 - 1.0 / N2);
            return (Math.Exp(Math.Log(lift) - 1.96 * se), Math.Exp(Math.Log(lift) + 1.96 * se));
        }
    }

    public double? Z
    {
        get
        {
            if (N1 == 0 || N2 == 0) return null;
            var pooled = (double)(C1 + C2) / (N1 + N2);
            var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / N1 + 1.0 / N2));
            return se == 0 ? null : (Rate1!.Value - Rate2!.Value) / se;
        }
    }

    public double? PValue => Z is { } z ? 2 * (1 - NormalCdf(Math.Abs(z))) : null;

    /// <summary>Φ(x) through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    public static double NormalCdf(double x)
    {
        var t = x / Math.Sqrt(2);
        var sign = t < 0 ? -1 : 1;
        t = Math.Abs(t);
        var k = 1 / (1 + 0.3275911 * t);
        var erf = 1 - ((((1.061405429 * k - 1.453152027) * k + 1.421413741) * k - 0.284496736) * k + 0.254829592) * k * Math.Exp(-t * t);
        return 0.5 * (1 + sign * erf);
    }
}
