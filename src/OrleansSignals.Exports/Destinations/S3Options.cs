using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Exports.Destinations;

/// <summary>
/// S3 connection settings (section <c>Signals:Exports:S3</c>). With no keys the standard AWS chain
/// (environment, profile, instance role) supplies credentials.
/// </summary>
public sealed class S3Options
{
    /// <summary>Endpoint of an S3-compatible store (e.g. <c>http://127.0.0.1:4568</c>); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>AWS region; also the signing region for a custom endpoint. Default us-east-1.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style addressing (<c>host/bucket/key</c>), which most S3-compatible stores need. Default false.</summary>
    public bool ForcePathStyle { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Size of one multipart part; files larger than one part are uploaded in parts. Default 16 MiB (S3's minimum is 5 MiB).</summary>
    [Range(5 * 1024 * 1024, 1024 * 1024 * 1024)]
    public int PartSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Whether S3 destinations may be used. Default: when <see cref="ServiceUrl"/>, <see cref="AccessKey"/> or
    /// <see cref="AllowedBuckets"/> is set. Set true to use AWS's standard credential chain (an instance role) with none of them.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Whether this server can write to S3 at all (see <see cref="Enabled"/>).</summary>
    public bool IsConfigured => Enabled ?? (!string.IsNullOrEmpty(ServiceUrl) || !string.IsNullOrEmpty(AccessKey) || AllowedBuckets.Length > 0);

    /// <summary>Buckets requests may name; empty allows any bucket the credentials can write.</summary>
    public string[] AllowedBuckets { get; set; } = [];
}
