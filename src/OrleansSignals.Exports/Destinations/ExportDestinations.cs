using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Exports.Destinations;

/// <summary>Turns a stored <see cref="ExportDestinationSpec"/> into a destination for a workspace.</summary>
public sealed class ExportDestinations(IOptions<ExportOptions> options, IOptions<S3Options> s3Options) : IDisposable
{
    private readonly Lazy<AmazonS3Client> _s3 = new(() => CreateClient(s3Options.Value));

    /// <summary>Why a destination a request names cannot be used, or null.</summary>
    public string? Validate(ExportDestinationSpec spec)
    {
        if (!ExportDestinationSpec.TypeNames.Contains(spec.Type))
            return $"'{spec.Type}' is not a destination type; allowed: {string.Join(", ", ExportDestinationSpec.TypeNames)}";
        if (spec.Prefix is { } prefix && (prefix.Split('/').Any(s => s is "." or "..") || prefix.StartsWith('/') || prefix.Contains('\\')))
            return "prefix must be a relative path without '.' or '..' segments";
        if (spec.Type == "s3")
        {
            // Refused now rather than accepted and failed at run time.
            if (!s3Options.Value.IsConfigured)
                return "S3 is not configured on this server: the operator sets Signals:Exports:S3:ServiceUrl (or Signals:Exports:S3:AccessKey and SecretKey, "
                       + "or Signals:Exports:S3:Enabled=true for AWS's standard credential chain); use a \"local\" destination meanwhile";
            if (string.IsNullOrWhiteSpace(spec.Bucket)) return "an s3 destination needs a bucket";
            var allowed = s3Options.Value.AllowedBuckets;
            if (allowed.Length > 0 && !allowed.Contains(spec.Bucket))
                return $"bucket '{spec.Bucket}' is not allowed here; allowed: {string.Join(", ", allowed)}";
        }
        return null;
    }

    public IExportDestination Open(ExportDestinationSpec spec, string workspaceId) => spec.Type switch
    {
        "local" => new LocalDestination(Path.Combine(options.Value.LocalRoot, workspaceId)),
        "s3" => new S3Destination(_s3.Value, spec.Bucket!, s3Options.Value.PartSize,
            plainHttp: s3Options.Value.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Type, "Unknown destination type."),
    };

    private static AmazonS3Client CreateClient(S3Options s3)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(s3.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region);
        }
        else
        {
            config.ServiceURL = s3.ServiceUrl;
            config.AuthenticationRegion = s3.Region;
        }
        return string.IsNullOrEmpty(s3.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config);
    }

    public void Dispose()
    {
        if (_s3.IsValueCreated) _s3.Value.Dispose();
    }
}
