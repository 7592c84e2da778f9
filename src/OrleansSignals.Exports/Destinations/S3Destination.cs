using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace OrleansSignals.Exports.Destinations;

/// <summary>
/// An S3 bucket (or an S3-compatible store). A file is one PutObject when it fits in a part, else a
/// multipart upload completed only after its last byte: until then no object exists under its key.
/// </summary>
public sealed class S3Destination(IAmazonS3 client, string bucket, int partSize, bool plainHttp) : IExportDestination
{
    public string Bucket { get; } = bucket;

    public string Describe(string path) => $"s3://{Bucket}/{path}";

    public Task<IExportUpload> BeginAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<IExportUpload>(new S3Upload(client, Bucket, path, partSize));

    public async Task DeleteAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        foreach (var path in paths)
        {
            await Guard(path, () => client.DeleteObjectAsync(Bucket, path, cancellationToken));
        }
    }

    public async Task DeleteByPrefixAsync(string directory, string namePrefix, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = $"{directory.TrimEnd('/')}/{namePrefix}" };
        ListObjectsV2Response page;
        do
        {
            page = await Guard(request.Prefix, () => client.ListObjectsV2Async(request, cancellationToken));
            foreach (var item in page.S3Objects ?? [])
            {
                await Guard(item.Key, () => client.DeleteObjectAsync(Bucket, item.Key, cancellationToken));
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        (await Guard(path, () => client.GetObjectAsync(Bucket, path, cancellationToken))).ResponseStream;

    public Uri? PresignedUrl(string path, TimeSpan lifetime) => new(client.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = Bucket,
        Key = path,
        Verb = HttpVerb.GET,
        Expires = DateTime.UtcNow + lifetime,
        Protocol = plainHttp ? Protocol.HTTP : Protocol.HTTPS,
    }));

    private Task<T> Guard<T>(string key, Func<Task<T>> action) => Guard(Bucket, key, action);

    /// <summary>Runs one S3 call; whatever the client throws leaves as an <see cref="ExportDestinationException"/> (see <see cref="Translate"/>).</summary>
    internal static async Task<T> Guard<T>(string bucket, string key, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw Translate(bucket, key, ex);
        }
    }

    /// <summary>
    /// What the S3 client threw, as an error that names the bucket: the service's refusals, an endpoint that
    /// cannot be reached (transient), and a client that cannot even sign a request (no credentials: a setting
    /// to fix, not a reason to retry). Nothing of it may escape as is: an unexpected exception in the export
    /// worker used to stop the whole host.
    /// </summary>
    private static ExportDestinationException Translate(string bucket, string key, Exception ex) => ex switch
    {
        AmazonServiceException service => Refused(bucket, key, service),
        HttpRequestException => new ExportDestinationException($"S3 could not be reached for s3://{bucket}/{key}: {ex.Message}", transient: true, ex),
        _ => new ExportDestinationException(
            $"S3 cannot be used for bucket '{bucket}': {ex.Message} Configure Signals:Exports:S3 (AccessKey and SecretKey, or the AWS credential chain).",
            transient: false, ex),
    };

    /// <summary>Names the cause in words a user can act on; 5xx, throttling and network failures are transient.</summary>
    internal static ExportDestinationException Refused(string bucket, string key, AmazonServiceException ex)
    {
        var code = ex.ErrorCode ?? ex.StatusCode.ToString();
        var message = code switch
        {
            "NoSuchBucket" => $"The S3 bucket '{bucket}' does not exist (NoSuchBucket).",
            "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" =>
                $"S3 refused access to s3://{bucket}/{key} ({code}): check the credentials and the bucket policy.",
            _ => $"S3 failed on s3://{bucket}/{key}: {code} ({(int)ex.StatusCode}) {ex.Message}",
        };
        var transient = ex.StatusCode >= HttpStatusCode.InternalServerError || ex.StatusCode == HttpStatusCode.TooManyRequests
            || code is "SlowDown" or "RequestTimeout" || ex.InnerException is HttpRequestException or IOException;
        return new ExportDestinationException(message, transient, ex);
    }
}
