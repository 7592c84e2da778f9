using System.Net.Http.Json;
using System.Net;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>A host whose S3 settings are missing: no endpoint, no keys (scripts/run.sh's defaults).</summary>
public class UnconfiguredS3Factory : SignalsFactory
{
    public string LocalRoot { get; } = Path.Combine(Path.GetTempPath(), "exports-" + Guid.NewGuid().ToString("N")[..8]);

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Exports:LocalRoot", LocalRoot),
        new("Signals:Exports:PollInterval", "00:00:00.200"),
        new("Signals:Exports:RetryDelay", "00:00:00.100"),
        .. S3Settings,
    ];

    protected virtual IEnumerable<KeyValuePair<string, string>> S3Settings => [];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(LocalRoot)) Directory.Delete(LocalRoot, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>A host whose S3 endpoint refuses connections.</summary>
public sealed class UnreachableS3Factory : UnconfiguredS3Factory
{
    protected override IEnumerable<KeyValuePair<string, string>> S3Settings =>
    [
        new("Signals:Exports:S3:ServiceUrl", "http://127.0.0.1:1"),
        new("Signals:Exports:S3:ForcePathStyle", "true"),
        new("Signals:Exports:S3:AccessKey", "key"),
        new("Signals:Exports:S3:SecretKey", "secret"),
    ];
}

public sealed class UnconfiguredS3Tests(UnconfiguredS3Factory factory) : IClassFixture<UnconfiguredS3Factory>
{
    [Fact]
    public async Task An_s3_export_without_s3_configured_is_refused_at_creation_naming_the_settings_and_the_host_goes_on()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var refused = await (await client.PostAsJsonAsync("/api/datalake/exports",
            new { dataset = "events", format = "csv", destination = new { type = "s3", bucket = "my-bucket" } })).Json(HttpStatusCode.BadRequest);
        Assert.Contains("Signals:Exports:S3", refused.GetProperty("errors").GetProperty("destination")[0].GetString());
        // Nothing was stored, and the worker (and the host with it) still runs: the next export completes.
        var listed = await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
        var next = await client.ExportAsync(new { dataset = "events", format = "csv", destination = new { type = "local" } });
        Assert.Equal("completed", next.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }
}

public sealed class UnreachableS3Tests(UnreachableS3Factory factory) : IClassFixture<UnreachableS3Factory>
{
    [Fact]
    public async Task An_unreachable_bucket_fails_the_run_and_a_delete_answers_502_not_a_database_outage()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var failed = await client.ExportAsync(new { dataset = "events", format = "csv", destination = new { type = "s3", bucket = "my-bucket" } });
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("could not be reached", failed.GetProperty("error").GetString());

        var delete = await (await client.DeleteAsync($"/api/datalake/exports/{failed.GetProperty("id").GetString()}")).Json(HttpStatusCode.BadGateway);
        Assert.Contains("s3://my-bucket", delete.GetProperty("detail").GetString());
        Assert.DoesNotContain("database", delete.GetProperty("detail").GetString());
    }
}
