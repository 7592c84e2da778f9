using OrleansSignals.Signals.Scoring;

namespace OrleansSignals.FunctionalTests.Signals;

public sealed class TwoProportionTestTests
{
    [Fact]
    public void Thirty_of_a_hundred_against_fifteen_of_a_hundred_is_significant_with_lift_two()
    {
        var test = new TwoProportionTest(100, 30, 100, 15);
        Assert.Equal(2.0, test.Lift!.Value, 6);
        // Pooled 0.225: z = 0.15 / sqrt(0.225 * 0.775 * 0.02) = 2.540, two-sided p = 0.0111.
        Assert.Equal(2.540, test.Z!.Value, 3);
        Assert.Equal(0.0111, test.PValue!.Value, 3);
        var (low, high) = test.LiftInterval!.Value;
        Assert.True(low > 1 && low < 2 && high > 2, $"{low}..{high}");
    }

    [Fact]
    public void Equal_rates_are_not_significant_and_empty_groups_have_no_statistics()
    {
        var same = new TwoProportionTest(50, 10, 200, 40);
        Assert.Equal(1.0, same.Lift!.Value, 6);
        Assert.Equal(1.0, same.PValue!.Value, 3);
        Assert.Null(new TwoProportionTest(0, 0, 10, 3).Z);
        Assert.Null(new TwoProportionTest(10, 3, 10, 0).Lift);
        Assert.Equal(0.975, TwoProportionTest.NormalCdf(1.959964), 4);
    }
}
