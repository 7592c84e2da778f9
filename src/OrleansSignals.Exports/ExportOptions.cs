using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Exports;

/// <summary>Exports settings (section <c>Signals:Exports</c>); defaults in the property docs.</summary>
public sealed class ExportOptions
{
    /// <summary>Folder of the <c>local</c> destination; each workspace writes under <c>{LocalRoot}/{workspace}</c>. Default: <c>exports</c> under the host's content root.</summary>
    public string LocalRoot { get; set; } = "";

    /// <summary>A part is closed and the next begun once it reaches this many bytes. Default 256 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long PartBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How often an idle worker looks for pending runs (it is also woken when this host creates one). Default 2 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A running run whose host stops renewing its lease for this long is taken over by another worker. Default 60 s.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running export writes its progress (and renews its lease). Default 1 s.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts for transient destination errors (timeouts, 5xx, throttling), the first included. Default 3.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First delay between attempts; doubles each time. Default 2 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A run taken over this many times (its hosts keep dying) is failed. Default 5.</summary>
    [Range(1, 100)]
    public int MaxClaims { get; set; } = 5;

    /// <summary>Lifetime of the presigned URL an S3 download redirects to. Default 15 minutes.</summary>
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the clustered schedule job looks for due periods. Default 1 minute.</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromMinutes(1);
}
