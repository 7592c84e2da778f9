using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using OrleansSignals.FunctionalTests.Hooks;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>Parts split at 6 MiB; S3 multipart parts of 5 MiB; hooks may reach a loopback receiver.</summary>
public sealed class PartedExportsFactory : ExportsFactory
{
    protected override long PartBytes => 6L * 1024 * 1024;

    protected override IEnumerable<KeyValuePair<string, string>> Settings => [.. base.Settings, new("Signals:Hooks:AllowPrivateNetworks", "true")];
}

public sealed class ExportDeliveryFixture : IAsyncLifetime
{
    public const int EventCount = 4000;

    public PartedExportsFactory Factory { get; } = new();
    public HttpClient Client { get; private set; } = null!;
    public string WorkspaceId { get; private set; } = null!;

    /// <summary>The workspace's webhook receiver, subscribed to <c>export.completed</c> through <see cref="Endpoint"/>.</summary>
    public WebhookReceiver Hooks { get; private set; } = null!;
    public Guid Endpoint { get; private set; }

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        (Client, WorkspaceId) = await Factory.CreateWorkspaceAsync("Delivery");
        Hooks = await WebhookReceiver.StartAsync();
        (Endpoint, _) = await Client.CreateEndpoint(new { url = Hooks.Url, event_types = new[] { "export.completed" } });
        // ~2.3 KB of properties per event: about 9.5 MB of CSV, so two parts, the first over one S3 part.
        var padding = new string('x', 2200);
        var at = Factory.Clock.GetUtcNow().AddHours(-1);
        for (var batch = 0; batch < EventCount / 1000; batch++)
        {
            var events = Enumerable.Range(batch * 1000, 1000).Select(i => Event($"ev-{i:00000}", $"acct-{i % 50}", "page_view", at.AddMilliseconds(i), new { i, padding })).ToArray();
            await (await Client.PostAsJsonAsync("/api/events", events)).Json(HttpStatusCode.Accepted);
        }
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Factory).DisposeAsync();
        await Hooks.DisposeAsync();
    }

    /// <summary>The <c>export.completed</c> hooks the receiver got for one run.</summary>
    public WebhookReceiver.Request[] CompletedHooks(string runId) =>
        [.. Hooks.Requests.Where(r => r.Json is var body && body.GetProperty("type").GetString() == "export.completed"
            && body.GetProperty("data").GetProperty("run_id").GetString() == runId)];
}

/// <summary>Parts, manifest, download, delete, S3 (multipart) and failures, as an analyst and an operator see them.</summary>
public sealed class ExportDeliveryTests(ExportDeliveryFixture fixture) : IClassFixture<ExportDeliveryFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Local_export_in_parts_has_a_manifest_matching_the_files_downloads_as_a_zip_emits_export_completed_and_deletes_cleanly()
    {
        var run = await Client.ExportAsync(new { dataset = "events", format = "csv" });
        Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        var id = run.GetProperty("id").GetString()!;
        var files = run.Files().ToList();
        Assert.Equal(2, files.Count);
        Assert.EndsWith($"events_{id}_0000.csv", files[0].GetProperty("path").GetString());
        Assert.EndsWith($"events_{id}_0001.csv", files[1].GetProperty("path").GetString());
        Assert.Equal(ExportDeliveryFixture.EventCount, files.Sum(f => f.GetProperty("rows").GetInt64()));
        Assert.Equal(1.0, run.GetProperty("progress").GetDouble());

        // The manifest sits beside the parts and describes exactly the files on disk.
        var folder = Path.GetDirectoryName(fixture.Factory.LocalFile(fixture.WorkspaceId, files[0]))!;
        var manifestPath = Path.Combine(folder, $"_manifest_{id}.json");
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath)).RootElement;
        Assert.Equal(ExportDeliveryFixture.EventCount, manifest.GetProperty("rows").GetInt64());
        Assert.Equal("event_id", manifest.GetProperty("schema")[0].GetProperty("name").GetString());
        // Timestamps as the API writes them: UTC with a Z, at most microseconds.
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$", manifest.GetProperty("completed_at").GetString());
        var listed = manifest.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(files.Count, listed.Count);
        foreach (var (file, entry) in files.Zip(listed))
        {
            var bytes = await File.ReadAllBytesAsync(fixture.Factory.LocalFile(fixture.WorkspaceId, file));
            Assert.Equal(file.GetProperty("path").GetString(), entry.GetProperty("path").GetString());
            Assert.Equal(bytes.LongLength, entry.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.GetProperty("sha256").GetString());
            Assert.Equal(file.GetProperty("rows").GetInt64(), entry.GetProperty("rows").GetInt64());
        }
        Assert.Empty(Directory.EnumerateFiles(folder, ".*"));

        // Download: several parts come as one zip holding each part byte for byte.
        var download = await Client.GetAsync($"/api/datalake/exports/{id}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using (var zip = new ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync())))
        {
            Assert.Equal(files.Select(f => Path.GetFileName(f.GetProperty("path").GetString())), zip.Entries.Select(e => e.Name));
            foreach (var (file, entry) in files.Zip(zip.Entries))
            {
                using var copy = new MemoryStream();
                await using (var s = entry.Open()) await s.CopyToAsync(copy);
                Assert.Equal(await File.ReadAllBytesAsync(fixture.Factory.LocalFile(fixture.WorkspaceId, file)), copy.ToArray());
            }
        }

        // export.completed reaches the subscribed endpoint once, with the run's figures.
        await HookTestHelpers.WaitFor(() => fixture.CompletedHooks(id).Length > 0, "export.completed is delivered");
        await fixture.Factory.Database.HooksSettledAsync(fixture.WorkspaceId);
        var hook = Assert.Single(fixture.CompletedHooks(id));
        Assert.Equal(hook.Id, hook.Json.GetProperty("id").GetString());
        Assert.Equal(fixture.WorkspaceId, hook.Json.GetProperty("workspace_id").GetString());
        var data = hook.Json.GetProperty("data");
        Assert.Equal(ExportDeliveryFixture.EventCount, data.GetProperty("rows").GetInt64());
        Assert.Equal("events", data.GetProperty("dataset").GetString());
        Assert.Equal(2, data.GetProperty("files").GetArrayLength());

        // Listed newest first, then deleted with its files.
        var list = await (await Client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK);
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetString());
        await (await Client.DeleteAsync($"/api/datalake/exports/{id}")).Json(HttpStatusCode.NoContent);
        Assert.False(File.Exists(manifestPath));
        Assert.DoesNotContain(Directory.EnumerateFiles(folder), f => f.Contains(id));
        await (await Client.GetAsync($"/api/datalake/exports/{id}")).Json(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task S3_export_round_trips_a_multipart_part_byte_for_byte_and_downloads_through_a_presigned_url()
    {
        var run = await Client.ExportAsync(new { dataset = "events", format = "csv", destination = new { type = "s3", bucket = ExportsFactory.Bucket, prefix = "lake" } });
        Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        var id = run.GetProperty("id").GetString()!;
        var files = run.Files().ToList();
        Assert.Equal(2, files.Count);
        Assert.True(files[0].GetProperty("bytes").GetInt64() > 5 * 1024 * 1024, "the first part is larger than one S3 part, so it went up as a multipart upload");
        Assert.StartsWith($"s3://{ExportsFactory.Bucket}/lake/events/year=", files[0].GetProperty("location").GetString());

        using var s3 = S3Client();
        foreach (var file in files)
        {
            using var response = await s3.GetObjectAsync(ExportsFactory.Bucket, file.GetProperty("path").GetString());
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            Assert.Equal(file.GetProperty("bytes").GetInt64(), copy.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
        }
        var manifestKey = run.GetProperty("manifest").GetString()!;
        using (var manifest = await s3.GetObjectAsync(ExportsFactory.Bucket, manifestKey))
        {
            var doc = await JsonDocument.ParseAsync(manifest.ResponseStream);
            Assert.Equal(ExportDeliveryFixture.EventCount, doc.RootElement.GetProperty("rows").GetInt64());
        }

        // One part of a single-file export is a redirect to a presigned URL.
        var single = await Client.ExportAsync(new { dataset = "events", format = "parquet", compression = "gzip", destination = new { type = "s3", bucket = ExportsFactory.Bucket } });
        Assert.True(single.GetProperty("status").GetString() == "completed", single.ToString());
        var redirect = await fixture.Factory.CreateClient(new() { AllowAutoRedirect = false })
            .SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/datalake/exports/{single.GetProperty("id").GetString()}/download")
            {
                Headers = { Authorization = Client.DefaultRequestHeaders.Authorization },
            });
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        using var plain = new HttpClient();
        var bytes = await plain.GetByteArrayAsync(redirect.Headers.Location);
        Assert.Equal(single.Files().Single().GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        await (await Client.DeleteAsync($"/api/datalake/exports/{id}")).Json(HttpStatusCode.NoContent);
        var left = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = ExportsFactory.Bucket, Prefix = "lake/" });
        Assert.DoesNotContain(left.S3Objects ?? [], o => o.Key.Contains(id));
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_fails_the_run_with_a_clear_error_and_writes_nothing()
    {
        var run = await Client.ExportAsync(new { dataset = "events", format = "jsonl", destination = new { type = "s3", bucket = "no-such-bucket" } });
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("The S3 bucket 'no-such-bucket' does not exist", run.GetProperty("error").GetString());
        Assert.Empty(run.Files());
        Assert.False(Directory.Exists(Path.Combine(fixture.Factory.S3.Directory, "no-such-bucket")));
    }

    [Fact]
    public async Task A_destination_that_refuses_mid_run_fails_the_run_and_leaves_no_part_behind()
    {
        // The second part's final name is taken by a folder, so its rename is refused after part one was written.
        var created = await (await Client.PostAsJsonAsync("/api/datalake/exports", new { dataset = "events", format = "csv", destination = new { type = "local", prefix = "refused" } }))
            .Json(HttpStatusCode.Accepted);
        var id = created.GetProperty("id").GetString()!;
        var today = DateTime.UtcNow;
        var folder = Path.Combine(fixture.Factory.LocalRoot, fixture.WorkspaceId, "refused", "events", $"year={today:yyyy}", $"month={today:MM}", $"day={today:dd}");
        Directory.CreateDirectory(Path.Combine(folder, $"events_{id}_0001.csv", "blocker"));

        var run = await Client.WaitForRunAsync(id);
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains($"events_{id}_0001.csv", run.GetProperty("error").GetString());
        Assert.Empty(run.Files());
        Assert.DoesNotContain(Directory.EnumerateFiles(folder, "*", SearchOption.TopDirectoryOnly), f => f.Contains(id));

        // No export.completed for it. The outbox is fanned out in order, so once a test event queued after the
        // failure has its message, a completion queued before it would have one too.
        var ping = await (await Client.PostAsync($"/api/webhooks/{fixture.Endpoint}/test", null)).Json(HttpStatusCode.Accepted);
        await Eventually(async () => await fixture.Factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_messages WHERE endpoint_id = $1 AND event_id = $2", fixture.Endpoint, Guid.Parse(ping.GetProperty("event_id").GetString()!)) == 1,
            TimeSpan.FromSeconds(20), "the test event is fanned out");
        Assert.Equal(0L, await fixture.Factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_messages WHERE endpoint_id = $1 AND type = 'export.completed' AND payload::jsonb->'data'->>'run_id' = $2", fixture.Endpoint, id));
        Assert.Empty(fixture.CompletedHooks(id));
    }

    private AmazonS3Client S3Client() => new(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey), new AmazonS3Config
    {
        ServiceURL = fixture.Factory.S3.Url,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });
}
