using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>An in-process host whose local exports go to a temporary folder and whose S3 destination is a real s3rver on loopback.</summary>
public class ExportsFactory : SignalsFactory
{
    public const string Bucket = "analytics";

    public string LocalRoot { get; } = Path.Combine(Path.GetTempPath(), "exports-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Where a local export's file is on disk: its <c>location</c> is relative to the workspace's export folder.</summary>
    public string LocalFile(string workspaceId, System.Text.Json.JsonElement file) =>
        Path.Combine(LocalRoot, workspaceId, file.GetProperty("location").GetString()!);

    public S3Server S3 { get; private set; } = null!;

    protected virtual long PartBytes => 256L * 1024 * 1024;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Exports:LocalRoot", LocalRoot),
        new("Signals:Exports:PollInterval", "00:00:00.200"),
        new("Signals:Exports:ProgressInterval", "00:00:00.100"),
        new("Signals:Exports:ScheduleInterval", "00:00:01"),
        new("Signals:Exports:RetryDelay", "00:00:00.100"),
        new("Signals:Exports:PartBytes", PartBytes.ToString()),
        new("Signals:Exports:S3:ServiceUrl", S3.Url),
        new("Signals:Exports:S3:ForcePathStyle", "true"),
        new("Signals:Exports:S3:AccessKey", S3Server.AccessKey),
        new("Signals:Exports:S3:SecretKey", S3Server.SecretKey),
        new("Signals:Exports:S3:PartSize", (5 * 1024 * 1024).ToString()),
    ];

    public override async Task InitializeAsync()
    {
        S3 = await S3Server.StartAsync(Bucket);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await S3.DisposeAsync();
        if (Directory.Exists(LocalRoot)) Directory.Delete(LocalRoot, recursive: true);
        GC.SuppressFinalize(this);
    }
}
