using System.Text.Json;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Tests.Accounts;

/// <summary>JSON merge patch (RFC 7396) of an account's traits, and the limits on the set it produces.</summary>
public sealed class TraitMergeTests
{
    private static Dictionary<string, JsonElement> Traits(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static string Text(Dictionary<string, JsonElement> traits) =>
        JsonSerializer.Serialize(new SortedDictionary<string, JsonElement>(traits, StringComparer.Ordinal));

    [Theory]
    // null removes; others are set; absent ones stay.
    [InlineData("""{"plan":"pro","seats":3}""", """{"plan":null,"region":"eu"}""", """{"region":"eu","seats":3}""")]
    // Objects merge member by member, null removing a member there too.
    [InlineData("""{"owner":{"name":"Ann","team":"emea"}}""", """{"owner":{"team":null,"email":"a@x"}}""", """{"owner":{"name":"Ann","email":"a@x"}}""")]
    // Anything but an object replaces (arrays are not merged), and an object replaces a non-object.
    [InlineData("""{"tags":["a","b"],"owner":"Ann"}""", """{"tags":["c"],"owner":{"name":"Bo"}}""", """{"owner":{"name":"Bo"},"tags":["c"]}""")]
    // A new object value is stored without the members the patch sets to null.
    [InlineData("""{}""", """{"owner":{"name":"Bo","team":null}}""", """{"owner":{"name":"Bo"}}""")]
    // Removing a trait that is not there changes nothing.
    [InlineData("""{"plan":"pro"}""", """{"nothing":null}""", """{"plan":"pro"}""")]
    public void A_patch_merges_as_rfc_7396_says(string traits, string patch, string expected) =>
        Assert.Equal(Text(Traits(expected)), Text(TraitMerge.Apply(Traits(traits), Traits(patch))));

    [Fact]
    public void Limits_name_the_trait_that_is_too_large_and_flag_a_set_that_is()
    {
        var one = TraitLimits.Check(Traits($$"""{"notes":"{{new string('x', 5_000)}}","plan":"pro"}"""));
        var problem = Assert.Single(one);
        Assert.Equal("notes", problem.Trait);
        Assert.False(problem.TooLarge);

        var many = Enumerable.Range(0, 20).ToDictionary(i => $"t{i}", _ => JsonSerializer.SerializeToElement(new string('y', 3_500)));
        var set = Assert.Single(TraitLimits.Check(many));
        Assert.True(set.TooLarge);
        Assert.Empty(TraitLimits.Check(many.Take(18).ToDictionary()));
    }
}
