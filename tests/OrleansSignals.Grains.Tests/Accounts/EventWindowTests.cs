using OrleansSignals.Grains.Accounts;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;

namespace OrleansSignals.Grains.Tests.Accounts;

public sealed class EventWindowTests
{
    private static List<HourCount> Hours(params DateTimeOffset[] events)
    {
        var hours = new List<HourCount>();
        foreach (var at in events) EventWindow.Add(hours, at);
        return hours;
    }

    [Fact]
    public void Counts_only_the_events_inside_the_window()
    {
        var hours = Hours(Now.AddDays(-8), Now.AddDays(-3), Now.AddHours(-1), Now.AddMinutes(-5));

        Assert.Equal(3, EventWindow.Count(hours, Now, 7));
        Assert.Equal(4, EventWindow.Count(hours, Now, 30));
        Assert.Equal(2, EventWindow.Count(hours, Now, 1));
    }

    [Fact]
    public void No_hours_count_zero()
    {
        Assert.Equal(0, EventWindow.Count(null, Now, 7));
        Assert.Equal(0, EventWindow.Count([], Now, 7));
    }

    [Fact]
    public void Events_added_out_of_order_land_in_their_hours()
    {
        var hours = Hours(Now.AddHours(-1), Now, Now.AddHours(-1).AddMinutes(-10), Now.AddDays(-2));

        Assert.Equal(
            [new(EventWindow.HourOf(Now.AddDays(-2)), 1), new(EventWindow.HourOf(Now.AddHours(-1)), 2), new(EventWindow.HourOf(Now), 1)],
            hours);
    }

    [Fact]
    public void An_event_counts_until_the_end_of_its_hour_is_more_than_the_window_ago()
    {
        // The event's hour is 10:00-11:00 on March 3rd: it counts for a 7-day window until March 10th 11:00.
        var at = new DateTimeOffset(2026, 3, 3, 10, 30, 0, TimeSpan.Zero);
        var hours = Hours(at);
        var windowEnd = new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero);

        Assert.Equal(1, EventWindow.Count(hours, at.AddDays(7), 7));
        Assert.Equal(1, EventWindow.Count(hours, at.AddDays(7).AddMinutes(29), 7));
        Assert.Equal(1, EventWindow.Count(hours, windowEnd.AddTicks(-1), 7));
        Assert.Equal(0, EventWindow.Count(hours, windowEnd, 7));
        Assert.Equal(0, EventWindow.Count(hours, windowEnd.AddDays(1), 7));
    }

    [Fact]
    public void The_first_event_of_an_hour_leaves_the_window_together_with_the_last()
    {
        var hours = Hours(new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 3, 10, 59, 59, TimeSpan.Zero));
        var windowEnd = new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero);

        Assert.Equal(2, EventWindow.Count(hours, windowEnd.AddTicks(-1), 7));
        Assert.Equal(0, EventWindow.Count(hours, windowEnd, 7));
    }

    [Fact]
    public void A_future_dated_event_is_not_counted_before_its_hour()
    {
        var at = Now.AddHours(2); // 14:20
        var hours = Hours(Now.AddHours(-1), at);
        var hourStart = new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero);

        Assert.Equal(1, EventWindow.Count(hours, Now, 7));
        Assert.Equal(1, EventWindow.Count(hours, hourStart.AddTicks(-1), 7));
        Assert.Equal(2, EventWindow.Count(hours, hourStart, 7));
    }

    [Fact]
    public void An_event_later_in_the_current_hour_already_counts()
    {
        Assert.Equal(1, EventWindow.Count(Hours(Now.AddMinutes(30)), Now, 7));
    }

    [Fact]
    public void NextEntry_is_the_start_of_the_future_event_hour()
    {
        var hours = Hours(Now.AddHours(-1), Now.AddHours(2));

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero), EventWindow.NextEntry(hours, Now));
        Assert.Null(EventWindow.NextEntry(hours, Now.AddHours(2)));
        Assert.Null(EventWindow.NextEntry(Hours(Now.AddHours(-1)), Now));
        Assert.Null(EventWindow.NextEntry(null, Now));
        Assert.Null(EventWindow.NextEntry([], Now));
    }

    [Fact]
    public void NextEntry_is_the_earliest_of_several_future_hours()
    {
        // Events may be dated up to a day ahead; the count changes when the first of them enters.
        var hours = Hours(Now.AddHours(2), Now.AddHours(20));

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero), EventWindow.NextEntry(hours, Now));
    }

    [Fact]
    public void NextExpiry_is_when_the_oldest_counted_hour_leaves_the_window()
    {
        var hours = Hours(Now.AddDays(-9), new DateTimeOffset(2026, 3, 5, 10, 15, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 8, 15, 40, 0, TimeSpan.Zero));
        var firstExpiry = new DateTimeOffset(2026, 3, 12, 11, 0, 0, TimeSpan.Zero);

        Assert.Equal(firstExpiry, EventWindow.NextExpiry(hours, Now, 7));
        Assert.Equal(2, EventWindow.Count(hours, firstExpiry.AddTicks(-1), 7));
        Assert.Equal(1, EventWindow.Count(hours, firstExpiry, 7));
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 16, 0, 0, TimeSpan.Zero), EventWindow.NextExpiry(hours, firstExpiry, 7));
    }

    [Fact]
    public void NextExpiry_is_null_when_nothing_is_counted()
    {
        Assert.Null(EventWindow.NextExpiry(Hours(Now.AddDays(-9)), Now, 7));
        Assert.Null(EventWindow.NextExpiry(null, Now, 7));
        Assert.Null(EventWindow.NextExpiry([], Now, 7));
    }

    [Fact]
    public void Prune_drops_the_hours_that_no_longer_count_and_keeps_the_rest()
    {
        var old = new DateTimeOffset(2026, 2, 8, 11, 30, 0, TimeSpan.Zero); // its hour ended 30 days and 20 minutes ago
        var lastCounted = new DateTimeOffset(2026, 2, 8, 12, 10, 0, TimeSpan.Zero); // its hour ends 30 days minus 40 minutes ago
        var hours = Hours(Now.AddDays(-45), old, lastCounted, Now.AddDays(-1), Now.AddHours(3));
        var counted = EventWindow.Count(hours, Now, 30);

        EventWindow.Prune(hours, Now, 30);

        Assert.Equal([EventWindow.HourOf(lastCounted), EventWindow.HourOf(Now.AddDays(-1)), EventWindow.HourOf(Now.AddHours(3))], hours.Select(h => h.Hour));
        Assert.Equal(counted, EventWindow.Count(hours, Now, 30));
    }

    [Fact]
    public void Prune_of_only_old_hours_leaves_nothing()
    {
        var hours = Hours(Now.AddDays(-60), Now.AddDays(-40));

        EventWindow.Prune(hours, Now, 30);

        Assert.Empty(hours);
    }
}
