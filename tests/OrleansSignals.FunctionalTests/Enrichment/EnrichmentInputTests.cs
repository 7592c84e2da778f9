using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Enrichment;

/// <summary>Bad uploads and providers are 400 (or 413) naming the line, step or field, and store nothing.</summary>
public sealed class EnrichmentInputTests(EnrichmentFactory factory) : IClassFixture<EnrichmentFactory>
{
    private async Task<(HttpClient Client, string Workspace)> WorkspaceWithProviderAsync()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync("input");
        await client.AddProviderAsync(new { name = "people", url = "http://127.0.0.1:9/people" });
        return (client, workspace);
    }

    private async Task AssertNothingStoredAsync(string workspace)
    {
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM enrichment_batches WHERE workspace_id = $1", workspace));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM batch_items WHERE workspace_id = $1", workspace));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM raw_uploads WHERE workspace_id = $1", workspace));
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var problem = await response.Json(status);
        return string.Join(" | ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Malformed_csv_names_the_line_and_stores_nothing()
    {
        var (client, workspace) = await WorkspaceWithProviderAsync();
        Assert.Contains("line 3", await ErrorAsync(await client.UploadAsync("Email,Name\na@x.example,A\nb@x.example,\"B\nc@x.example,C\n", "people"), HttpStatusCode.BadRequest, "file"));
        Assert.Contains("unbalanced quotes", await ErrorAsync(await client.UploadAsync("Email,Name\na@x.example,\"A\n", "people"), HttpStatusCode.BadRequest, "file"));
        var ragged = await ErrorAsync(await client.UploadAsync("Email,Name\na@x.example,A\nb@x.example\n", "people"), HttpStatusCode.BadRequest, "file");
        Assert.Contains("line 3: has 1 field(s) where the header has 2", ragged);
        Assert.Contains("is empty", await ErrorAsync(await client.UploadAsync("", "people"), HttpStatusCode.BadRequest, "file"));
        Assert.Contains("no data rows", await ErrorAsync(await client.UploadAsync("Email,Name\n", "people"), HttpStatusCode.BadRequest, "file"));
        await AssertNothingStoredAsync(workspace);
    }

    [Fact]
    public async Task Unknown_step_and_bad_mapping_are_named()
    {
        var (client, workspace) = await WorkspaceWithProviderAsync();
        Assert.Contains("'clearbit' is not a provider", await ErrorAsync(await client.UploadAsync("Email\na@x.example\n", "people,clearbit"), HttpStatusCode.BadRequest, "steps"));
        Assert.Contains("name at least one provider", await ErrorAsync(await client.UploadAsync("Email\na@x.example\n", ""), HttpStatusCode.BadRequest, "steps"));
        Assert.Contains("'Work Email'", await ErrorAsync(await client.UploadAsync("Email\na@x.example\n", "people", """{"email": "Work Email"}"""), HttpStatusCode.BadRequest, "mapping.email"));
        Assert.Contains("JSON object", await ErrorAsync(await client.UploadAsync("Email\na@x.example\n", "people", "{nope"), HttpStatusCode.BadRequest, "mapping"));
        await AssertNothingStoredAsync(workspace);
    }

    [Fact]
    public async Task Files_over_the_limits_are_413_and_store_nothing()
    {
        var (client, workspace) = await WorkspaceWithProviderAsync();
        var rows = new StringBuilder("Email\n");
        for (var i = 0; i <= 200_000; i++) rows.Append("p").Append(i).Append("@x.example\n");
        var tooMany = await client.UploadAsync(rows.ToString(), "people");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Contains("200,000 rows", (await tooMany.Json(HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString());

        var big = new byte[50 * 1024 * 1024 + 10];
        Array.Fill(big, (byte)'a');
        "Email\n"u8.CopyTo(big);
        var tooBig = await client.UploadAsync(big, "people");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        await AssertNothingStoredAsync(workspace);
    }

    [Fact]
    public async Task Provider_requests_are_checked_field_by_field()
    {
        var (client, _) = await factory.CreateWorkspaceAsync("providers");
        var problem = await (await client.PostAsJsonAsync("/api/enrichment/providers", new
        {
            name = "Bad Name", url = "ftp://127.0.0.1/x", method = "DELETE", rate_limit_per_minute = 0, concurrency = 500, timeout_ms = 5,
            headers = new Dictionary<string, string> { ["Content-Type"] = "x" }, mapping = new { emial = "x" },
        })).Json(HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        Assert.Equal(["concurrency", "headers.Content-Type", "mapping.emial", "method", "name", "rate_limit_per_minute", "timeout_ms", "url"], fields);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/enrichment/providers/nope")).StatusCode);
    }

    [Fact]
    public async Task Two_workspaces_uploading_the_same_csv_see_nothing_of_each_other()
    {
        await using var provider = await ProviderServer.StartAsync();
        provider.Respond = (_, body, _) => new(200, new
        {
            person = new { email = body.GetProperty("person").GetProperty("email").GetString() },
            work_history = new[] { new { company = "Stripe", start_date = "2010", end_date = "2012" } },
        });
        var ids = new List<(HttpClient Client, string Batch)>();
        foreach (var name in new[] { "one", "two" })
        {
            var (client, _) = await factory.CreateWorkspaceAsync(name);
            await client.AddProviderAsync(new { name = "people", url = provider.BaseUrl + "/people" });
            (await client.PutAsJsonAsync("/api/enrichment/customers", new { customers = new[] { "Stripe" } })).EnsureSuccessStatusCode();
            var id = await client.UploadOkAsync(EnrichmentBatchTests.Csv, "people");
            ids.Add((client, id));
        }
        foreach (var (client, id) in ids) Assert.Equal("completed", (await client.WaitForBatchAsync(id)).GetProperty("status").GetString());
        var (a, batchA) = ids[0];
        var (b, batchB) = ids[1];
        // Cara and Eve's uploaded rows say they are at Stripe now: not former employees.
        Assert.Equal(["Ada", "Bob", "Dan", "Fay"], (await a.LeadsAsync("worked_at_customer=true", 10)).Select(l => l.GetProperty("first_name").GetString()).Order());
        Assert.All(await a.LeadsAsync("email=ada@upload.example", 10), l => Assert.Equal(batchA, l.GetProperty("batch_id").GetString()));
        Assert.All(await b.LeadsAsync("worked_at_customer=true", 10), l => Assert.Equal(batchB, l.GetProperty("batch_id").GetString()));
        Assert.Empty(await a.LeadsAsync($"batch_id={batchB}", 10));
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/enrichment/batches/{batchB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/enrichment/batches/{batchB}/results")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsync($"/api/enrichment/batches/{batchB}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsync($"/api/enrichment/batches/{batchB}/consolidate", null)).StatusCode);
        Assert.Equal(6, (await b.ResultsAsync(batchB)).Count);
    }

    [Fact]
    public async Task The_file_and_its_rows_are_kept_as_they_came_and_a_mapping_overrides_the_headers()
    {
        await using var provider = await ProviderServer.StartAsync();
        provider.Respond = (_, _, _) => new(200, new { person = new { title = "x" } });
        var (client, workspace) = await factory.CreateWorkspaceAsync("fidelity");
        await client.AddProviderAsync(new { name = "people", url = provider.BaseUrl + "/people" });
        var csv = "\uFEFFFirst Name,Email,Work Email,Notes,Notes\r\nAda,ada@home.example,ada@work.example,\"said \"\"hi\"\",\nthen left\",  spaced  \r\n";
        var bytes = System.Text.Encoding.UTF8.GetBytes(csv);
        var accepted = await (await client.UploadAsync(bytes, "people", """{"email": "Work Email"}""")).Json(HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await client.WaitForBatchAsync(id)).GetProperty("status").GetString());

        Assert.Equal(Convert.ToHexString(bytes), await factory.Database.ScalarAsync<string>("SELECT upper(encode(content, 'hex')) FROM raw_uploads WHERE batch_id = $1::uuid", id));
        Assert.Equal("Ada|ada@home.example|ada@work.example|said \"hi\",\nthen left|  spaced  ",
            await factory.Database.ScalarAsync<string>("SELECT array_to_string(cells, '|') FROM batch_items WHERE batch_id = $1::uuid", id));
        var sent = Assert.Single(provider.Calls).Body;
        Assert.Equal("ada@work.example", sent.GetProperty("person").GetProperty("email").GetString());
        Assert.Equal("Ada", sent.GetProperty("person").GetProperty("first_name").GetString());
        Assert.Equal(2, sent.GetProperty("line").GetInt32());
        Assert.Equal("ada@home.example", sent.GetProperty("row").GetProperty("Email").GetString());
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM batch_items WHERE workspace_id <> $1 AND batch_id = $2::uuid", workspace, id));
    }

    [Fact]
    public async Task Cancel_stops_a_running_batch()
    {
        await using var provider = await ProviderServer.StartAsync();
        provider.Delay = TimeSpan.FromMilliseconds(200);
        provider.Respond = (_, _, _) => new(200, new { person = new { title = "x" } });
        var (client, _) = await factory.CreateWorkspaceAsync("cancel");
        await client.AddProviderAsync(new { name = "slow", url = provider.BaseUrl + "/slow", concurrency = 1 });
        var csv = "Email\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"p{i}@x.example\n"));
        var id = await client.UploadOkAsync(csv, "slow");
        await OrleansSignals.FunctionalTests.Infrastructure.Api.Eventually(() => Task.FromResult(provider.Calls.Count >= 3), TimeSpan.FromSeconds(30), "the batch to start calling");
        var cancelled = await (await client.PostAsync($"/api/enrichment/batches/{id}/cancel", null)).Json(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var calls = provider.Calls.Count;
        var batch = await client.BatchAsync(id);
        Assert.Equal("cancelled", batch.GetProperty("status").GetString());
        Assert.True(batch.GetProperty("items").GetProperty("cancelled").GetInt64() > 50);
        // A second cancel of a final batch is a conflict; the provider is not called any more.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/enrichment/batches/{id}/cancel", null)).StatusCode);
        Assert.InRange(provider.Calls.Count, calls, calls + 2);
        Assert.True(calls < 20, $"{calls} calls: the batch ran on after the cancel");
    }
}

/// <summary>Without Signals:Enrichment:AllowPrivateNetworks, a provider on loopback or a private network is refused.</summary>
public sealed class EnrichmentPrivateNetworkTests(StrictEnrichmentFactory factory) : IClassFixture<StrictEnrichmentFactory>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/enrich")]
    [InlineData("http://10.1.2.3/enrich")]
    [InlineData("http://169.254.169.254/latest")]
    [InlineData("http://[::1]/enrich")]
    public async Task Private_provider_urls_are_refused(string url)
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync("strict");
        var problem = await (await client.PostAsJsonAsync("/api/enrichment/providers", new { name = "p", url })).Json(HttpStatusCode.BadRequest);
        Assert.Contains("private", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM enrichment_providers WHERE workspace_id = $1", workspace));
    }
}
