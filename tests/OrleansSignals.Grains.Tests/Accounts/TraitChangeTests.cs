using System.Text.Json;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Tests.Accounts;

public sealed class TraitChangeTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, JsonElement> Traits(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static string[] Changes(string before, string after) =>
        [.. TraitChange.Between(Traits(before), Traits(after), At)
            .Select(c => $"{c.Name}: {c.OldValue?.GetRawText() ?? "unset"} -> {c.Value?.GetRawText() ?? "removed"}").Order()];

    [Fact]
    public void Only_traits_whose_value_changed_are_changes_and_a_removed_trait_is_one()
    {
        Assert.Equal(["mrr: 500 -> 1500", "plan: \"pro\" -> \"enterprise\"", "region: unset -> \"eu\"", "seats: 3 -> removed"],
            Changes("""{"plan": "pro", "mrr": 500, "seats": 3, "name": "Acme"}""", """{"plan": "enterprise", "mrr": 1500, "region": "eu", "name": "Acme"}"""));
    }

    [Fact]
    public void The_same_value_again_is_no_change_however_it_is_written()
    {
        Assert.Empty(Changes("""{"plan": "pro", "mrr": 1000, "address": {"city": "Oslo", "zip": "0150"}}""",
            """{"address": {"zip": "0150", "city": "Oslo"}, "mrr": 1000.0, "plan": "pro"}"""));
    }

    [Fact]
    public void Every_trait_of_a_new_account_is_a_change_from_unset()
    {
        var change = Assert.Single(TraitChange.Between(new Dictionary<string, JsonElement>(), Traits("""{"plan": "pro"}"""), At));
        Assert.Equal(("plan", null, "pro", At), (change.Name, change.OldValue, change.Value?.GetString(), change.ChangedAt));
    }
}
