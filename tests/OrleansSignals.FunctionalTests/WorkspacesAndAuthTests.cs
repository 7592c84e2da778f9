using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

public sealed class WorkspacesAndAuthTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    [Fact]
    public async Task Creating_a_workspace_needs_the_operator_token_and_shows_the_key_once()
    {
        var anonymous = factory.CreateClient();
        var refused = await anonymous.PostAsJsonAsync("/api/workspaces", new { name = "Acme" });
        var problem = await refused.Json(HttpStatusCode.Unauthorized);
        Assert.Contains("operator token", problem.GetProperty("detail").GetString());

        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignalsFactory.AdminToken);
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Acme" })).Json(HttpStatusCode.Created);
        var key = created.GetProperty("api_key").GetString()!;
        Assert.StartsWith("sk_", key);
        Assert.Equal("Acme", created.GetProperty("name").GetString());

        // Stored hashed: the key itself is nowhere in the database.
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE encode(key_hash, 'escape') LIKE '%' || $1 || '%'", key));

        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var me = await (await client.GetAsync("/api/workspace")).Json(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetString(), me.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_leaked_key_is_replaced_by_a_new_one_and_revoked_and_the_last_key_cannot_be_revoked()
    {
        var (first, workspace) = await factory.CreateWorkspaceAsync();
        var firstKey = first.DefaultRequestHeaders.Authorization!.Parameter!;

        var created = await (await first.PostAsJsonAsync("/api/workspace/api-keys", new { name = "segment pipeline" })).Json(HttpStatusCode.Created);
        var secondKey = created.GetProperty("api_key").GetString()!;
        Assert.StartsWith("sk_", secondKey);
        Assert.Equal(secondKey[..7], created.GetProperty("prefix").GetString());
        var second = factory.CreateClient();
        second.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secondKey);
        Assert.Equal(workspace, (await (await second.GetAsync("/api/workspace")).Json(HttpStatusCode.OK)).GetProperty("id").GetString());

        // Listed without secrets; the caller's own key is marked.
        var listed = await (await second.GetAsync("/api/workspace/api-keys")).Json(HttpStatusCode.OK);
        Assert.DoesNotContain(firstKey, listed.ToString());
        Assert.DoesNotContain(secondKey, listed.ToString());
        var items = listed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal([false, true], items.Select(k => k.GetProperty("current").GetBoolean()));
        Assert.Equal("segment pipeline", items[1].GetProperty("name").GetString());
        var firstId = items[0].GetProperty("id").GetString();
        var secondId = items[1].GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await second.DeleteAsync($"/api/workspace/api-keys/{firstId}")).StatusCode);
        await (await first.GetAsync("/api/workspace")).Json(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NoContent, (await second.DeleteAsync($"/api/workspace/api-keys/{firstId}")).StatusCode);
        var revoked = (await (await second.GetAsync("/api/workspace/api-keys")).Json(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.True(revoked.TryGetProperty("revoked_at", out _), revoked.ToString());

        // The last active key stays: revoking it would lock the workspace out.
        var last = await (await second.DeleteAsync($"/api/workspace/api-keys/{secondId}")).Json(HttpStatusCode.Conflict);
        Assert.Contains("last active key", last.GetProperty("detail").GetString());
        await (await second.GetAsync("/api/workspace")).Json(HttpStatusCode.OK);

        // Another workspace's key is not found, not revoked.
        var (other, _) = await factory.CreateWorkspaceAsync();
        await (await other.DeleteAsync($"/api/workspace/api-keys/{secondId}")).Json(HttpStatusCode.NotFound);
        await (await second.GetAsync("/api/workspace")).Json(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoking_every_key_at_once_leaves_one()
    {
        // Through the operator's route, so that no request depends on a key another revokes. Without the
        // workspace lock, some rounds revoke every key.
        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignalsFactory.AdminToken);
        for (var round = 0; round < 4; round++)
        {
            var (client, workspace) = await factory.CreateWorkspaceAsync();
            for (var i = 0; i < 7; i++) await (await client.PostAsync("/api/workspace/api-keys", null)).Json(HttpStatusCode.Created);
            var ids = (await (await client.GetAsync("/api/workspace/api-keys")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
                .Select(k => Guid.Parse(k.GetProperty("id").GetString()!)).ToArray();

            var answers = await Task.WhenAll(ids.Select(id => admin.DeleteAsync($"/api/workspaces/{workspace}/api-keys/{id}")));

            Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.NoContent));
            Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
            Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE id = ANY($1) AND revoked_at IS NULL", ids));
        }
    }

    [Fact]
    public async Task The_operator_can_issue_a_key_for_a_workspace_whose_keys_are_lost()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignalsFactory.AdminToken);

        var issued = await (await admin.PostAsync($"/api/workspaces/{workspace}/api-keys", null)).Json(HttpStatusCode.Created);
        var recovered = factory.CreateClient();
        recovered.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.GetProperty("api_key").GetString());
        Assert.Equal(workspace, (await (await recovered.GetAsync("/api/workspace")).Json(HttpStatusCode.OK)).GetProperty("id").GetString());

        await (await admin.PostAsync("/api/workspaces/ws_nope/api-keys", null)).Json(HttpStatusCode.NotFound);
        var listed = (await (await admin.GetAsync("/api/workspaces")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(w => w.GetProperty("id").GetString() == workspace);
        Assert.Equal(2, listed.GetProperty("active_keys").GetInt64());
        await (await client.GetAsync("/api/workspaces")).Json(HttpStatusCode.Unauthorized);
        await (await client.PostAsync($"/api/workspaces/{workspace}/api-keys", null)).Json(HttpStatusCode.Unauthorized);
        var badName = await (await client.PostAsJsonAsync("/api/workspace/api-keys", new { name = new string('x', 201) })).Json(HttpStatusCode.BadRequest);
        Assert.True(badName.GetProperty("errors").TryGetProperty("name", out _));
        Assert.Equal(2, (await (await client.GetAsync("/api/workspace/api-keys")).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        // A leaked key cannot lock the owner out: the operator sees every key and revokes the intruder's.
        var intruder = await (await client.PostAsJsonAsync("/api/workspace/api-keys", new { name = "not ours" })).Json(HttpStatusCode.Created);
        var seen = (await (await admin.GetAsync($"/api/workspaces/{workspace}/api-keys")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, seen.Count);
        Assert.All(seen, k => Assert.False(k.GetProperty("current").GetBoolean()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/workspaces/{workspace}/api-keys/{intruder.GetProperty("id").GetString()}")).StatusCode);
        var intruderClient = factory.CreateClient();
        intruderClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", intruder.GetProperty("api_key").GetString());
        await (await intruderClient.GetAsync("/api/workspace")).Json(HttpStatusCode.Unauthorized);
        await (await admin.GetAsync("/api/workspaces/ws_nope/api-keys")).Json(HttpStatusCode.NotFound);

        // At most 20 active keys: more would multiply the per-key rate limit without end.
        for (var i = 2; i < 20; i++) await (await client.PostAsync("/api/workspace/api-keys", null)).Json(HttpStatusCode.Created);
        var tooMany = await (await client.PostAsync("/api/workspace/api-keys", null)).Json(HttpStatusCode.Conflict);
        Assert.Contains("20 active keys", tooMany.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_workspace_without_a_name_is_refused_naming_the_field()
    {
        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignalsFactory.AdminToken);
        var problem = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "  " })).Json(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk_not_a_real_key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Routes_refuse_requests_without_a_valid_key(string? authorization)
    {
        var client = factory.CreateClient();
        if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        foreach (var path in new[] { "/api/accounts/acme", "/api/accounts", "/api/insights/definitions", "/api/health-model" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostEvents(Event("e1", "acme", "login", DateTimeOffset.UtcNow))).StatusCode);
    }

    [Fact]
    public async Task A_workspace_never_sees_another_workspaces_accounts()
    {
        var (alpha, _) = await factory.CreateWorkspaceAsync("Alpha");
        var (beta, _) = await factory.CreateWorkspaceAsync("Beta");
        await (await alpha.PostEvents(Event("a-1", "shared-id", "login", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);
        await (await alpha.PutAsJsonAsync("/api/accounts/secret/traits", new { plan = "enterprise" })).Json(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync("/api/accounts/shared-id")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync("/api/accounts/secret")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync("/api/accounts/secret/history")).StatusCode);
        var list = await (await beta.GetAsync("/api/accounts")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());

        // The same event id in another workspace is a different event, not a duplicate.
        var accepted = await (await beta.PostEvents(Event("a-1", "shared-id", "login", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);
        Assert.Equal(1, accepted.GetProperty("accepted").GetInt32());
        Assert.Equal("enterprise", (await alpha.Account("secret")).GetProperty("traits").GetProperty("plan").GetString());
    }
}
