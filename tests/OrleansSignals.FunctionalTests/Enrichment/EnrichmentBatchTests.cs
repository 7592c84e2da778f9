using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Enrichment;

/// <summary>
/// A batch through two real providers on 127.0.0.1: one answers 503 once and 429 with Retry-After, the other changes
/// its response shape mid-batch. Every attempt is in the audit log, the batch completes, consolidation replays to the
/// same tables, and the customer query finds former employees across spellings and never current ones.
/// </summary>
public sealed class EnrichmentBatchTests(EnrichmentFactory factory) : IClassFixture<EnrichmentFactory>, IAsyncLifetime
{
    public const string Csv = """
        First Name,Last Name,Email,Title,Company,Person Linkedin Url,Website
        Ada,Lovelace,ada@upload.example,Engineer,Analytical,https://linkedin.com/in/ada,analytical.example
        Bob,Former,bob@upload.example,VP Sales,Globex,https://linkedin.com/in/bob,globex.example
        Cara,Current,cara@upload.example,PM,"Stripe, Inc.",https://linkedin.com/in/cara,stripe.com
        Dan,Spelling,dan@upload.example,CFO,Initech,https://linkedin.com/in/dan,initech.example
        Eve,Boomerang,eve@upload.example,SRE,Stripe,https://linkedin.com/in/eve,stripe.com
        Fay,Newshape,fay@upload.example,Designer,Hooli,https://linkedin.com/in/fay,hooli.example
        """;

    private ProviderServer _provider = null!;

    public async Task InitializeAsync() => _provider = await ProviderServer.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    /// <summary>people: the person; 503 once for Bob, 429 (Retry-After: 1) once for Cara.</summary>
    private static ProviderServer.Answer People(JsonElement body, int call)
    {
        var first = body.GetProperty("person").GetProperty("first_name").GetString();
        if (first == "Bob" && call == 1) return new(503, new { error = "warming up" });
        if (first == "Cara" && call == 1) return new(429, new { error = "slow down" }, RetryAfter: "1");
        var verified = first == "Ada";
        return new(200, new { person = new { email = $"{first!.ToLowerInvariant()}@verified.example", email_verified = verified, title = $"{first} title" } });
    }

    /// <summary>history: the default shape for lines 2-5, then (Fay, line 7; Eve, line 6 keeps the old) a new shape.</summary>
    private static ProviderServer.Answer History(JsonElement body)
    {
        var first = body.GetProperty("person").GetProperty("first_name").GetString();
        object[] jobs = first switch
        {
            "Ada" => [new { company = "Analytical Engines", title = "Engineer", start_date = "2020-01", end_date = (string?)null }],
            "Bob" => [new { company = "Stripe, Inc.", title = "AE", start_date = "2015-03", end_date = "2019-08" },
                      new { company = "Globex", title = "VP Sales", start_date = "2019-09", end_date = (string?)null }],
            "Cara" => [new { company = "stripe", title = "PM", start_date = "2021-01", end_date = (string?)null }],
            "Dan" => [new { company = "STRIPE INC", title = "Controller", start_date = "2012", end_date = "2016" },
                      new { company = "Initech", title = "CFO", start_date = "2016", end_date = (string?)null }],
            "Eve" => [new { company = "Stripe", title = "SRE", start_date = "2014", end_date = "2017" },
                      new { company = "Stripe", title = "Staff SRE", start_date = "2022", end_date = (string?)null }],
            _ => [],
        };
        if (first == "Fay")
        {
            return new(200, new
            {
                data = new { email_address = "fay@newshape.example", email_verified = true },
                positions = new object[] { new { org = "Stripe Inc", role = "Designer", from = "2016-05", to = "2020-02" }, new { org = "Hooli", role = "Lead", from = "2020-03" } },
            });
        }
        // An unverified email newer than people's: must not replace Ada's verified one.
        return new(200, new { person = new { email = $"{first!.ToLowerInvariant()}@newer.example", email_verified = false }, work_history = jobs });
    }

    private async Task<(HttpClient Client, string Workspace, string Batch)> RunBatchAsync()
    {
        _provider.Respond = (path, body, call) => path == "people" ? People(body, call) : History(body);
        var (client, workspace) = await factory.CreateWorkspaceAsync("enrichment");
        await client.AddProviderAsync(new { name = "people", url = _provider.BaseUrl + "/people", concurrency = 2, rate_limit_per_minute = 6000 });
        await client.AddProviderAsync(new
        {
            name = "history", url = _provider.BaseUrl + "/history", concurrency = 1, timeout_ms = 5000,
            headers = new Dictionary<string, string> { ["X-Api-Key"] = "s3cret-value" },
        });
        var id = await client.UploadOkAsync(Csv, "people,history");
        var batch = await client.WaitForBatchAsync(id);
        Assert.Equal("completed", batch.GetProperty("status").GetString());
        return (client, workspace, id);
    }

    [Fact]
    public async Task Every_attempt_is_in_the_audit_log_and_the_batch_completes()
    {
        var (client, _, id) = await RunBatchAsync();
        var batch = await client.BatchAsync(id);
        Assert.Equal(6, batch.GetProperty("items").GetProperty("succeeded").GetInt64());
        Assert.Equal(100, batch.GetProperty("progress").GetProperty("percent").GetDouble());

        var results = await client.ResultsAsync(id);
        var calls = _provider.Calls.ToList();
        Assert.Equal(calls.Count, results.Count);
        Assert.Equal(6 + 2 + 6, results.Count);
        Assert.Equal(results.Select(r => r.GetProperty("id").GetInt64()).Order(), results.Select(r => r.GetProperty("id").GetInt64()));

        var bob = results.Where(r => r.GetProperty("line").GetInt32() == 3 && r.GetProperty("provider").GetString() == "people").ToList();
        Assert.Equal([(1, "retrying", 503), (2, "succeeded", 200)],
            bob.Select(r => (r.GetProperty("attempt").GetInt32(), r.GetProperty("status").GetString()!, r.GetProperty("http_status").GetInt32())));
        Assert.Equal("warming up", bob[0].GetProperty("json_payload").GetProperty("error").GetString());

        var cara = results.Where(r => r.GetProperty("line").GetInt32() == 4 && r.GetProperty("provider").GetString() == "people").ToList();
        Assert.Equal([429, 200], cara.Select(r => r.GetProperty("http_status").GetInt32()));
        var caraCalls = calls.Where(c => c.Path == "people" && c.Line == 4).OrderBy(c => c.At).ToList();
        Assert.True(caraCalls[1].At - caraCalls[0].At >= TimeSpan.FromSeconds(0.9), $"Retry-After: 1 was not honoured ({caraCalls[1].At - caraCalls[0].At})");

        // The sealed header reached the provider and is never shown again.
        Assert.All(calls.Where(c => c.Path == "history"), c => Assert.Equal("s3cret-value", c.Headers["x-api-key"]));
        var providers = await (await client.GetAsync("/api/enrichment/providers")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("s3cret", providers);
        Assert.Contains("\"header_names\":[\"X-Api-Key\"]", providers);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM enrichment_providers WHERE headers::text LIKE '%s3cret%'"));
        // The audit log is append-only.
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => factory.Database.ScalarAsync<int>("UPDATE enrichment_results SET status = 'failed' RETURNING 1"));
    }

    [Fact]
    public async Task Consolidation_reports_the_changed_shape_replays_identically_and_answers_the_customer_question()
    {
        var (client, _, id) = await RunBatchAsync();
        var batch = await client.BatchAsync(id);
        var unmapped = batch.GetProperty("consolidation").GetProperty("unmapped").EnumerateArray()
            .Select(u => (u.GetProperty("provider").GetString(), u.GetProperty("path").GetString(), u.GetProperty("count").GetInt64())).ToList();
        Assert.Contains(("history", "positions[].org", 1L), unmapped);
        Assert.Contains(("history", "data.email_address", 1L), unmapped);

        var ada = Assert.Single(await client.LeadsAsync("email=ada@verified.example"));
        Assert.True(ada.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Ada title", ada.GetProperty("title").GetString());
        Assert.Equal("bob@newer.example", Assert.Single(await client.LeadsAsync("company=GLOBEX")).GetProperty("email").GetString());

        (await client.PutAsJsonAsync("/api/enrichment/customers", new { customers = new[] { "stripe.com", "Acme Labs" } })).EnsureSuccessStatusCode();
        Assert.Equal(["Bob", "Dan"], await FormerStripeAsync(client));

        // The new shape gets a mapping; consolidation reads the kept responses again: Fay appears, nothing is unmapped.
        await client.AddProviderAsync(new
        {
            name = "history", url = _provider.BaseUrl + "/history", concurrency = 1, timeout_ms = 5000,
            headers = new Dictionary<string, string> { ["X-Api-Key"] = "s3cret-value" },
            mapping = new Dictionary<string, object>
            {
                ["email"] = new[] { "person.email", "data.email_address" },
                ["email_verified"] = new[] { "person.email_verified", "data.email_verified" },
                ["work_history"] = new[] { "work_history", "positions" },
                ["work_history.company"] = new[] { "company", "org" },
                ["work_history.title"] = new[] { "title", "role" },
                ["work_history.start_date"] = new[] { "start_date", "from" },
                ["work_history.end_date"] = new[] { "end_date", "to" },
            },
        });
        var report = await (await client.PostAsync($"/api/enrichment/batches/{id}/consolidate", null)).Json(HttpStatusCode.OK);
        Assert.Empty(report.GetProperty("unmapped").EnumerateArray());
        var tables = await DumpAsync(id);
        var again = await (await client.PostAsync($"/api/enrichment/batches/{id}/consolidate", null)).Json(HttpStatusCode.OK);
        Assert.Equal(report.GetProperty("work_history_rows").GetInt64(), again.GetProperty("work_history_rows").GetInt64());
        Assert.Equal(tables, await DumpAsync(id));

        Assert.Equal(["Bob", "Dan", "Fay"], await FormerStripeAsync(client));
        var dan = (await client.LeadsAsync("worked_at_customer=true")).Single(l => l.GetProperty("first_name").GetString() == "Dan");
        var match = Assert.Single(dan.GetProperty("customer_matches").EnumerateArray());
        Assert.Equal(("stripe.com", "STRIPE INC", "2012-01-01", "2016-01-01"), (match.GetProperty("customer").GetString(), match.GetProperty("company_name").GetString(),
            match.GetProperty("start_date").GetString(), match.GetProperty("end_date").GetString()));
        Assert.Equal(3, (await client.LeadsAsync($"worked_at_customer=true&batch_id={id}", pageSize: 1)).Count);
    }

    [Fact]
    public async Task Leads_and_work_history_export_in_every_format()
    {
        var (client, workspace, _) = await RunBatchAsync();
        var leads = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM final_leads WHERE workspace_id = $1", workspace);
        var stints = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM person_work_history WHERE workspace_id = $1", workspace);
        Assert.Equal((6L, 8L), (leads, stints));
        foreach (var (dataset, rows) in new[] { ("enrichment-leads", leads), ("person-work-history", stints) })
        {
            foreach (var format in new[] { "csv", "jsonl", "parquet" })
            {
                var run = await Exports.ExportClient.ExportAsync(client, new { dataset, format });
                Assert.Equal("completed", run.GetProperty("status").GetString());
                // location is relative to the workspace's export folder (docs/exports.md)
                var path = Path.Combine(factory.ExportRoot, workspace, Assert.Single(Exports.ExportClient.Files(run)).GetProperty("location").GetString()!);
                if (format == "parquet")
                {
                    var file = await OrleansSignals.Exports.Tests.Parquet.Support.DuckDbReader.ReadAsync(path);
                    Assert.Equal(rows, file.NumRows);
                    Assert.Contains(file.Columns, c => c.Name == (dataset == "enrichment-leads" ? "email_verified" : "company_name_normalized"));
                    continue;
                }
                var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
                Assert.Equal(rows + (format == "csv" ? 1 : 0), lines.Count);
                if (dataset == "person-work-history")
                    Assert.Contains(lines, l => l.Contains("STRIPE INC") && l.Contains("2012-01-01") && l.Contains("stripe"));
                else
                    Assert.Contains(lines, l => l.Contains("ada@verified.example"));
            }
        }
    }

    private static async Task<string[]> FormerStripeAsync(HttpClient client) =>
        [.. (await client.LeadsAsync("worked_at_customer=true")).Select(l => l.GetProperty("first_name").GetString()!).Order()];

    private async Task<string> DumpAsync(string batchId) => await factory.Database.ScalarAsync<string>("""
        SELECT (SELECT json_agg(l ORDER BY batch_item_id)::text FROM final_leads l WHERE batch_id = $1::uuid)
            || (SELECT json_agg(h ORDER BY batch_item_id, ordinal)::text FROM person_work_history h WHERE batch_id = $1::uuid)
        """, batchId);
}
