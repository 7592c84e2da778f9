using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace OrleansSignals.Exports.Destinations;

/// <summary>
/// A destination as a request names it (and as runs and schedules store it): <c>{"type": "local", "prefix"?}</c>
/// or <c>{"type": "s3", "bucket", "prefix"?}</c>. Endpoints and credentials come from configuration, never from requests.
/// </summary>
public sealed record ExportDestinationSpec
{
    [MaxLength(16)]
    public string Type { get; init; } = "local";

    /// <summary>The S3 bucket (S3's own limit: 63 characters).</summary>
    [MaxLength(63)]
    public string? Bucket { get; init; }

    /// <summary>Key prefix the layout starts with; default <c>exports</c>. At most 200 characters.</summary>
    [MaxLength(200)]
    public string? Prefix { get; init; }

    public static IReadOnlyList<string> TypeNames { get; } = ["local", "s3"];

    [JsonIgnore]
    public string EffectivePrefix => string.IsNullOrEmpty(Prefix) ? "exports" : Prefix.Trim('/');
}
