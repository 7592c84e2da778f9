using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OrleansSignals.FunctionalTests.Exports;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Cli;

/// <summary>The <c>signals</c> tool as a real process against a real host process on a real PostgreSQL (and s3rver for S3).</summary>
public sealed partial class CliTests : IAsyncLifetime
{
    private const string AdminToken = "cli-admin-token-0123456789abcdef";
    private const int EventCount = 25;
    private string _workspaceId = null!;
    private readonly string _localRoot = Path.Combine(Path.GetTempPath(), "cli-exports-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "cli-work-" + Guid.NewGuid().ToString("N")[..8]);
    private TestDatabase _database = null!;
    private S3Server _s3 = null!;
    private HostProcess _host = null!;
    private HttpClient _client = null!;
    private string _apiKey = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workDirectory);
        _database = await TestDatabase.CreateAsync();
        _s3 = await S3Server.StartAsync(ExportsFactory.Bucket);
        _host = HostProcess.Start(_database.ConnectionString, AdminToken,
            ("Signals:Exports:LocalRoot", _localRoot),
            ("Signals:Exports:PollInterval", "00:00:00.200"),
            ("Signals:Exports:ProgressInterval", "00:00:00.100"),
            ("Signals:Exports:S3:ServiceUrl", _s3.Url),
            ("Signals:Exports:S3:ForcePathStyle", "true"),
            ("Signals:Exports:S3:AccessKey", S3Server.AccessKey),
            ("Signals:Exports:S3:SecretKey", S3Server.SecretKey));
        await _host.WaitReadyAsync(TimeSpan.FromSeconds(60));

        using var admin = new HttpClient { BaseAddress = new Uri(_host.Url) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var workspace = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Cli" })).Json(HttpStatusCode.Created);
        _apiKey = workspace.GetProperty("api_key").GetString()!;
        _workspaceId = workspace.GetProperty("id").GetString()!;
        _client = new HttpClient { BaseAddress = new Uri(_host.Url) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        var now = DateTimeOffset.UtcNow.AddMinutes(-30);
        var events = Enumerable.Range(0, EventCount).Select(i => Event($"e{i}", $"acct-{i % 5}", "login", now.AddSeconds(i))).ToArray();
        await (await _client.PostEvents(events)).Json(HttpStatusCode.Accepted);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _s3.DisposeAsync();
        await _database.DisposeAsync();
        foreach (var directory in new[] { _localRoot, _workDirectory })
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Exports_show_prints_one_run_in_full_and_an_unknown_id_is_named()
    {
        var exported = await Signals(FromEnvironment(), "export", "--dataset", "events", "--format", "csv", "--wait");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var id = Assert.Single(Ids(exported.Out).Distinct());
        var shown = await Signals(FromEnvironment(), "exports", "show", id);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains(id, shown.Out);
        Assert.Contains("completed", shown.Out);
        Assert.Contains(EventCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), shown.Out);
        Assert.Contains("sha256", shown.Out);

        var missing = await Signals(FromEnvironment(), "exports", "show", "nope");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No export 'nope'", missing.ToString());
    }

    [Fact]
    public async Task Export_wait_then_list_then_download_gives_back_the_exported_file()
    {
        var exported = await Signals(FromEnvironment(), "export", "--dataset", "events", "--format", "csv", "--wait");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var id = Assert.Single(Ids(exported.Out).Distinct());
        Assert.Contains($"Export {id} completed", exported.Out);
        Assert.Contains($"rows: {EventCount}", exported.Out);
        Assert.Contains("files: 1", exported.Out);
        var run = await (await _client.GetAsync($"/api/datalake/exports/{id}")).Json(HttpStatusCode.OK);
        Assert.Contains($"bytes: {run.GetProperty("bytes").GetInt64()} ", exported.Out);

        var second = await Signals(FromEnvironment(), "export", "--dataset", "events", "--format", "jsonl", "--compression", "gzip");
        Assert.True(second.ExitCode == 0, second.ToString());
        var secondId = Assert.Single(Ids(second.Out).Distinct());
        await _client.WaitForRunAsync(secondId);

        // Connection given as options this time, not environment variables.
        var listed = await Signals(new Dictionary<string, string>(), "exports", "list", "--url", _host.Url, "--api-key", _apiKey);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal([secondId, id], Ids(listed.Out));
        var firstLine = listed.Out.Split('\n').Single(l => l.Contains(id));
        Assert.Contains("csv", firstLine);
        Assert.Contains("completed", firstLine);
        Assert.Contains(EventCount.ToString(), firstLine);

        var target = Path.Combine(_workDirectory, "events.csv");
        var downloaded = await Signals(FromEnvironment(), "download", id, "-o", target);
        Assert.True(downloaded.ExitCode == 0, downloaded.ToString());
        var location = Path.Combine(_localRoot, _workspaceId, run.GetProperty("files")[0].GetProperty("location").GetString()!);
        Assert.Equal(await File.ReadAllBytesAsync(location), await File.ReadAllBytesAsync(target));
        Assert.Equal(EventCount + 1, (await File.ReadAllLinesAsync(target)).Length);
        Assert.Equal(["events.csv"], Directory.GetFiles(_workDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Download_of_an_s3_export_follows_the_presigned_redirect()
    {
        var created = await (await _client.PostAsJsonAsync("/api/datalake/exports", new
        {
            dataset = "events", format = "parquet", destination = new { type = "s3", bucket = ExportsFactory.Bucket },
        })).Json(HttpStatusCode.Accepted);
        var run = await _client.WaitForRunAsync(created.GetProperty("id").GetString()!);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var file = run.GetProperty("files")[0];

        var downloaded = await Signals(FromEnvironment(), "download", run.GetProperty("id").GetString()!);
        Assert.True(downloaded.ExitCode == 0, downloaded.ToString());
        // No -o: the object's own name, in the current folder.
        var saved = Path.Combine(_workDirectory, Path.GetFileName(file.GetProperty("path").GetString()!));
        Assert.Equal(file.GetProperty("bytes").GetInt64(), new FileInfo(saved).Length);
        Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(saved))));
    }

    [Fact]
    public async Task A_bad_dataset_prints_each_field_error_and_exits_non_zero()
    {
        var result = await Signals(FromEnvironment(), "export", "--dataset", "nope", "--format", "xml", "--wait");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: The request is invalid. (HTTP 400)", result.Error);
        Assert.Contains("Nothing was changed.", result.Error);
        Assert.Contains("dataset: 'nope' is not a dataset; allowed: ", result.Error);
        Assert.Contains("lifecycle-event-history", result.Error);
        Assert.Contains("format: 'xml' is not a format; allowed: ", result.Error);
        Assert.DoesNotContain("\u001b[", result.Error);
        var list = await (await _client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_timestamp_that_does_not_parse_names_the_option_and_the_form_and_starts_nothing()
    {
        var result = await Signals(FromEnvironment(), "export", "--dataset", "events", "--format", "csv", "--from", "yesterday");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--from: 'yesterday' is not a timestamp; use ISO 8601, e.g. 2025-01-01T00:00:00Z", result.Error);
        Assert.DoesNotContain("System.", result.Error);
        // Not ISO 8601: 2 January to some, 1 February to others.
        var ambiguous = await Signals(FromEnvironment(), "export", "--dataset", "events", "--format", "csv", "--to", "01/02/2025");
        Assert.Contains("--to: '01/02/2025' is not a timestamp", ambiguous.Error);
        var list = await (await _client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_wrong_api_key_prints_the_problem_and_exits_non_zero()
    {
        var result = await Signals(new Dictionary<string, string> { ["SIGNALS_URL"] = _host.Url, ["SIGNALS_API_KEY"] = "wrong" }, "exports", "list");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: Unauthorized. (HTTP 401)", result.Error);
        Assert.Contains("The API key is not valid.", result.Error);
    }

    [Fact]
    public async Task A_url_that_is_not_the_api_exits_3_with_one_line_not_the_servers_page()
    {
        // The S3 server answers these routes with its own XML errors.
        var result = await Signals(new Dictionary<string, string> { ["SIGNALS_URL"] = _s3.Url, ["SIGNALS_API_KEY"] = _apiKey }, "exports", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not as the OrleansSignals API", result.Error);
        Assert.DoesNotContain("<?xml", result.Error);
    }

    [Fact]
    public async Task Help_never_prints_the_api_key_from_the_environment()
    {
        var help = await Signals(FromEnvironment(), "--help");
        var afterAParseError = await Signals(FromEnvironment(), "exports", "list", "--no-such-option");

        Assert.Contains("--api-key", help.Out + help.Error);
        Assert.DoesNotContain(_apiKey, help.Out + help.Error);
        Assert.DoesNotContain(_apiKey, afterAParseError.Out + afterAParseError.Error);
    }

    private Dictionary<string, string> FromEnvironment() => new() { ["SIGNALS_URL"] = _host.Url, ["SIGNALS_API_KEY"] = _apiKey };

    private Task<CliProcess.Result> Signals(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CliProcess.RunAsync(environment, _workDirectory, args);

    private static List<string> Ids(string output) => [.. RunId().Matches(output).Select(m => m.Value)];

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RunId();
}
