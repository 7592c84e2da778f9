using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrleansSignals.Enrichment;
using OrleansSignals.Enrichment.Consolidation;
using OrleansSignals.Enrichment.Leads;
using OrleansSignals.Enrichment.Providers;
using OrleansSignals.Enrichment.Upload;
using OrleansSignals.Storage;

// bench/enrichment.sh runs this against a fresh database:
//   upload         a 100,000-row Apollo-shaped CSV parsed and staged (BatchStager: Sep + binary COPY), RUNS times
//   consolidate    SIZES results (two steps per item) synthesized in SQL, then consolidated, RUNS times each
//   query          worked_at_customer over the largest size's work history (20 customers), QUERIES pages
var server = args[0];
var database = $"enrichment_bench_{Environment.ProcessId}";
await using (var admin = NpgsqlDataSource.Create(server))
await using (var create = admin.CreateCommand($"CREATE DATABASE {database}"))
    await create.ExecuteNonQueryAsync();
var connection = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 20, CommandTimeout = 0 }.ConnectionString;
var sizes = (Environment.GetEnvironmentVariable("SIZES") ?? "100000,300000,1000000").Split(',').Select(int.Parse).ToArray();
var runs = int.Parse(Environment.GetEnvironmentVariable("RUNS") ?? "3");
var queries = int.Parse(Environment.GetEnvironmentVariable("QUERIES") ?? "500");
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Postgres"] = connection,
    ["Signals:AdminToken"] = "bench-admin-token",
}).Build();
var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging()
    .AddSignalsStorage(configuration).AddSignalsEnrichment().BuildServiceProvider();
await services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
var data = services.GetRequiredService<NpgsqlDataSource>();

async Task<string> WorkspaceAsync(string name)
{
    var id = $"ws_bench_{name}_{Guid.NewGuid():N}"[..30];
    await using var command = data.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2)");
    command.Parameters.Add(new() { Value = id });
    command.Parameters.Add(new() { Value = name });
    await command.ExecuteNonQueryAsync();
    return id;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

// Upload: parse + stage 100,000 rows.
if (Environment.GetEnvironmentVariable("SKIP_UPLOAD") != "1")
{
    var workspace = await WorkspaceAsync("upload");
    await services.GetRequiredService<ProviderStore>().UpsertAsync(workspace,
        new ProviderRequest("people", "https://enrich.example/people", null, null, null, null, null, null), [], CancellationToken.None);
    var csv = new StringBuilder("First Name,Last Name,Title,Company,Email,Email Status,Person Linkedin Url,Website,City,Country,# Employees,Industry\n");
    for (var i = 0; i < 100_000; i++)
        csv.Append($"First{i},Last{i},\"VP, Sales {i % 40}\",\"Company {i % 5000}, Inc.\",p{i}@company{i % 5000}.example,Verified,https://www.linkedin.com/in/p{i},company{i % 5000}.example,Berlin,Germany,{i % 900 + 10},Software\n");
    var bytes = Encoding.UTF8.GetBytes(csv.ToString());
    var seconds = new List<double>();
    for (var r = 0; r < runs; r++)
    {
        var load = Load();
        var started = Stopwatch.GetTimestamp();
        var staged = await services.GetRequiredService<BatchStager>().StageAsync(
            new BatchStager.Request(workspace, ["people"], null, "apollo.csv", new MemoryStream(bytes)), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        seconds.Add(elapsed);
        Console.WriteLine($"upload run {r + 1}: {staged.Items:N0} rows, {bytes.Length / 1024.0 / 1024:F1} MB in {elapsed:F2} s (load {load})");
    }
    Console.WriteLine($"RESULT upload median {Median(seconds):F2} s for 100,000 rows ({bytes.Length / 1024.0 / 1024:F1} MB)");
}

// Consolidation: synthesized audit logs, two succeeded results per item.
string? queryWorkspace = null;
foreach (var size in sizes)
{
    var workspace = await WorkspaceAsync("c" + size);
    var batch = Guid.CreateVersion7();
    var items = size / 2;
    var seed = Stopwatch.GetTimestamp();
    foreach (var sql in new[]
    {
        "INSERT INTO enrichment_batches (id, workspace_id, status, steps, mapping, item_count) VALUES ($1, $2, 'completed', ARRAY['people', 'history'], '{}', $3)",
        "INSERT INTO raw_uploads (batch_id, workspace_id, size_bytes, sha256, header, content) VALUES ($1, $2, 0, '\\x00', '{Email}', '\\x')",
        """
        INSERT INTO batch_items (batch_id, workspace_id, line, cells, first_name, last_name, email, company)
        SELECT $1, $2, g + 1, ARRAY['p' || g || '@x.example'], 'First' || g, 'Last' || g, 'p' || g || '@x.example', 'Company ' || (g % 5000)
        FROM generate_series(1, $3) g
        """,
        """
        INSERT INTO enrichment_results (workspace_id, batch_id, batch_item_id, step, provider, attempt, status, http_status, json_payload, duration_ms, received_at)
        SELECT $2, $1, i.id, 1, 'people', 1, 'succeeded', 200,
               jsonb_build_object('person', jsonb_build_object('email', 'v' || i.line || '@x.example', 'email_verified', i.line % 2 = 0,
                                  'title', 'Title ' || (i.line % 50), 'linkedin_url', 'https://www.linkedin.com/in/p' || i.line),
                                  'meta', jsonb_build_object('score', i.line % 100)),
               10, now() - interval '1 hour'
        FROM batch_items i WHERE i.batch_id = $1
        """,
        """
        INSERT INTO enrichment_results (workspace_id, batch_id, batch_item_id, step, provider, attempt, status, http_status, json_payload, duration_ms, received_at)
        SELECT $2, $1, i.id, 2, 'history', 1, 'succeeded', 200,
               jsonb_build_object('person', jsonb_build_object('email', 'n' || i.line || '@x.example', 'email_verified', false),
                                  'work_history', jsonb_build_array(
                                      jsonb_build_object('company', 'Company ' || ((i.line * 7) % 5000) || ', Inc.', 'title', 'Engineer', 'start_date', '2015-01', 'end_date', '2018-06'),
                                      jsonb_build_object('company', 'COMPANY ' || (i.line % 5000), 'title', 'Lead', 'start_date', '2018-07', 'end_date', null))),
               10, now()
        FROM batch_items i WHERE i.batch_id = $1
        """,
        "ANALYZE batch_items", "ANALYZE enrichment_results",
    })
    {
        await using var command = data.CreateCommand(sql);
        command.CommandTimeout = 0;
        if (sql.Contains("$1")) command.Parameters.Add(new() { Value = batch });
        if (sql.Contains("$2")) command.Parameters.Add(new() { Value = workspace });
        if (sql.Contains("$3")) command.Parameters.Add(new() { Value = items });
        await command.ExecuteNonQueryAsync();
    }
    Console.WriteLine($"seeded {size:N0} results ({items:N0} items) in {Stopwatch.GetElapsedTime(seed).TotalSeconds:F1} s");
    var rates = new List<double>();
    ConsolidationReport? report = null;
    for (var r = 0; r < runs; r++)
    {
        var load = Load();
        report = await services.GetRequiredService<Consolidator>().ConsolidateAsync(batch, CancellationToken.None);
        rates.Add(report.Results / report.Seconds);
        Console.WriteLine($"consolidate {size:N0} run {r + 1}: {report.Seconds:F2} s, {report.Results / report.Seconds:N0} results/s, {report.WorkHistoryRows:N0} work-history rows (load {load})");
    }
    Console.WriteLine($"RESULT consolidate {size:N0} results: median {Median(rates):N0} results/s; unmapped {string.Join(", ", report!.Unmapped.Select(u => $"{u.Provider}:{u.Path}={u.Count}"))}");
    queryWorkspace = workspace;
}

// The dashboard question over the largest work history.
{
    var workspace = queryWorkspace!;
    var customers = Enumerable.Range(0, 20).Select(i => (i % 3) switch
    {
        0 => $"Company {i * 211}, Inc.",
        1 => $"company {i * 211}",
        _ => $"COMPANY {i * 211} LLC",
    }).Select(CustomerStore.Read).ToList();
    await services.GetRequiredService<CustomerStore>().ReplaceAsync(workspace, customers, CancellationToken.None);
    await using (var analyze = data.CreateCommand("ANALYZE person_work_history; ANALYZE final_leads; ANALYZE enrichment_customers"))
        await analyze.ExecuteNonQueryAsync();
    var rows = 0L;
    await using (var count = data.CreateCommand("SELECT count(*) FROM person_work_history WHERE workspace_id = $1"))
    {
        count.Parameters.Add(new() { Value = workspace });
        rows = (long)(await count.ExecuteScalarAsync())!;
    }
    var leadQueries = services.GetRequiredService<LeadQueries>();
    var maxId = 0L;
    await using (var max = data.CreateCommand("SELECT max(batch_item_id) FROM final_leads WHERE workspace_id = $1"))
    {
        max.Parameters.Add(new() { Value = workspace });
        maxId = (long)(await max.ExecuteScalarAsync())!;
    }
    var (all, _) = await leadQueries.ListAsync(workspace, new LeadFilter(true, null, null, null, 0, 500), CancellationToken.None);
    var random = new Random(42);
    var latencies = new List<double>();
    var load = Load();
    for (var q = 0; q < queries; q++)
    {
        // Half first pages, half pages from a random cursor.
        var after = q % 2 == 0 ? 0 : random.NextInt64(0, maxId);
        var started = Stopwatch.GetTimestamp();
        await leadQueries.ListAsync(workspace, new LeadFilter(true, null, null, null, after, 100), CancellationToken.None);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    latencies.Sort();
    Console.WriteLine($"RESULT worked_at_customer over {rows:N0} work-history rows, 20 customers ({all.Count}+ leads match), page of 100, {queries} queries " +
                      $"(load {load} -> {Load()}): p50 {latencies[latencies.Count / 2]:F1} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F1} ms, max {latencies[^1]:F1} ms");
}

await services.DisposeAsync();
NpgsqlConnection.ClearAllPools();
await using (var admin = NpgsqlDataSource.Create(server))
await using (var drop = admin.CreateCommand($"DROP DATABASE {database} WITH (FORCE)"))
    await drop.ExecuteNonQueryAsync();
