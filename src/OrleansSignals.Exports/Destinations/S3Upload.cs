using Amazon.S3;
using Amazon.S3.Model;

namespace OrleansSignals.Exports.Destinations;

/// <summary>
/// A write-only stream onto one S3 object. Bytes fill a part buffer; each full part is uploaded
/// (starting a multipart upload on the first); commit uploads the rest and completes the upload,
/// or puts the object in one request when it never outgrew a part. Memory: one part.
/// </summary>
/// <remarks>
/// Bodies are sent unchunked with checksums only where required: S3-compatible stores such as
/// s3rver store streaming "aws-chunked" bodies literally (see shared/REGISTRY.md); S3 accepts both.
/// </remarks>
internal sealed class S3Upload(IAmazonS3 client, string bucket, string key, int partSize) : Stream, IExportUpload
{
    private readonly List<PartETag> _parts = [];
    private byte[] _buffer = new byte[Math.Min(partSize, 1024 * 1024)];
    private int _length;
    private string? _uploadId;
    private bool _committed;

    public Stream Stream => this;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            if (_length == _buffer.Length)
            {
                if (_buffer.Length < partSize) Array.Resize(ref _buffer, Math.Min(partSize, _buffer.Length * 2));
                else await UploadPartAsync(cancellationToken);
            }
            var n = Math.Min(buffer.Length, _buffer.Length - _length);
            buffer.Span[..n].CopyTo(_buffer.AsSpan(_length));
            _length += n;
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            await Guard(() => client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = new MemoryStream(_buffer, 0, _length, writable: false),
                UseChunkEncoding = false,
                AutoCloseStream = true,
            }, cancellationToken));
        }
        else
        {
            if (_length > 0) await UploadPartAsync(cancellationToken);
            await Guard(() => client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = _uploadId,
                PartETags = _parts,
            }, cancellationToken));
        }
        _committed = true;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_committed && _uploadId is not null)
        {
            try
            {
                await client.AbortMultipartUploadAsync(bucket, key, _uploadId);
            }
            catch (Exception ex) when (ex is AmazonS3Exception or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException)
            {
                // The store refuses the abort too (it is away, or the bucket is gone): the parts stay
                // invisible, and a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them.
            }
        }
        _buffer = [];
        await base.DisposeAsync();
    }

    private async Task UploadPartAsync(CancellationToken cancellationToken)
    {
        _uploadId ??= (await Guard(() => client.InitiateMultipartUploadAsync(bucket, key, cancellationToken))).UploadId;
        var number = _parts.Count + 1;
        var response = await Guard(() => client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = _uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(_buffer, 0, _length, writable: false),
            PartSize = _length,
            UseChunkEncoding = false,
        }, cancellationToken));
        _parts.Add(new PartETag(number, response.ETag));
        _length = 0;
    }

    private Task<T> Guard<T>(Func<Task<T>> action) => S3Destination.Guard(bucket, key, action);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
