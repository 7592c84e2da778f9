using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hardening;

/// <summary>Issue 12, item 3: PATCH merges traits (null removes), PUT replaces, and traits are bounded.</summary>
public sealed class TraitsTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    private static HttpRequestMessage Patch(string path, string body, string contentType = "application/merge-patch+json") =>
        new(HttpMethod.Patch, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    [Fact]
    public async Task Patch_merges_and_null_removes_while_put_replaces_every_trait()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        // PUT on an account never seen creates it (a CRM sync may name accounts before their first event).
        var created = await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "pro", seats = 10, owner = new { name = "Ann", team = "emea" } })).Json(HttpStatusCode.OK);
        Assert.Equal("pro", created.GetProperty("traits").GetProperty("plan").GetString());

        var patched = await (await client.SendAsync(Patch("/api/accounts/acme/traits", """{"seats":12,"plan":null,"owner":{"team":null,"email":"a@x"},"region":"eu"}"""))).Json(HttpStatusCode.OK);
        var traits = patched.GetProperty("traits");
        Assert.Equal(["owner", "region", "seats"], traits.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(12, traits.GetProperty("seats").GetInt32());
        Assert.Equal("""{"name":"Ann","email":"a@x"}""", traits.GetProperty("owner").GetRawText());
        Assert.Equal("eu", (await client.Account("acme")).GetProperty("traits").GetProperty("region").GetString());

        // application/json is accepted too, with the same meaning.
        await (await client.SendAsync(Patch("/api/accounts/acme/traits", """{"region":null}""", "application/json"))).Json(HttpStatusCode.OK);

        var replaced = await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "team" })).Json(HttpStatusCode.OK);
        Assert.Equal(["plan"], replaced.GetProperty("traits").EnumerateObject().Select(p => p.Name));

        var nullOnPut = await (await client.PutAsync("/api/accounts/acme/traits", new StringContent("""{"plan":null}""", Encoding.UTF8, "application/json"))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("PATCH", nullOnPut.GetProperty("errors").GetProperty("plan")[0].GetString());

        // PATCH on an account never seen creates it as well.
        await (await client.SendAsync(Patch("/api/accounts/newco/traits", """{"plan":"free"}"""))).Json(HttpStatusCode.OK);
        Assert.Equal("free", (await client.Account("newco")).GetProperty("traits").GetProperty("plan").GetString());
    }

    [Fact]
    public async Task A_trait_too_large_is_refused_naming_it_and_a_set_too_large_is_a_413_and_nothing_changes()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "pro" })).Json(HttpStatusCode.OK);

        var big = new string('x', 5_000);
        var one = await (await client.PutAsJsonAsync("/api/accounts/acme/traits", new { plan = "pro", notes = big })).Json(HttpStatusCode.BadRequest);
        Assert.Contains("4,096", one.GetProperty("errors").GetProperty("notes")[0].GetString());
        var patchOne = await (await client.SendAsync(Patch("/api/accounts/acme/traits", JsonSerializer.Serialize(new { notes = big })))).Json(HttpStatusCode.BadRequest);
        Assert.True(patchOne.GetProperty("errors").TryGetProperty("notes", out _));

        // Twenty values of 3.5 KB each are fine one by one, but not together (64 KB for the whole set).
        var many = Enumerable.Range(0, 20).ToDictionary(i => $"t{i}", _ => new string('y', 3_500));
        var set = await (await client.PutAsJsonAsync("/api/accounts/acme/traits", many)).Json(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("65,536", set.GetProperty("detail").GetString());
        // Patches that grow the set past the limit are refused once they would.
        for (var i = 0; i < 18; i++)
            await (await client.SendAsync(Patch("/api/accounts/acme/traits", JsonSerializer.Serialize(new Dictionary<string, string> { [$"t{i}"] = many[$"t{i}"] })))).Json(HttpStatusCode.OK);
        await (await client.SendAsync(Patch("/api/accounts/acme/traits", JsonSerializer.Serialize(new Dictionary<string, string> { ["t18"] = many["t18"], ["t19"] = many["t19"] })))).Json(HttpStatusCode.RequestEntityTooLarge);

        var traits = (await client.Account("acme")).GetProperty("traits");
        Assert.Equal(19, traits.EnumerateObject().Count());
        Assert.False(traits.TryGetProperty("notes", out _));
    }
}
