using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Runs;

/// <summary>One part being written: the upload, the byte count and hash on the way, and the format's row writer.</summary>
internal sealed class ExportPart : IAsyncDisposable
{
    private readonly IExportUpload _upload;
    private readonly HashingStream _hashing;

    private ExportPart(string path, IExportUpload upload, HashingStream hashing, IRowWriter writer)
    {
        Path = path;
        _upload = upload;
        _hashing = hashing;
        Writer = writer;
    }

    public string Path { get; }

    public IRowWriter Writer { get; }

    public long Rows { get; set; }

    public long Bytes => _hashing.BytesWritten;

    public static async Task<ExportPart> OpenAsync(
        IExportDestination destination, string path, ExportFormat format, ExportCompression compression, ParquetSchema schema, CancellationToken cancellationToken)
    {
        var upload = await destination.BeginAsync(path, cancellationToken);
        var hashing = new HashingStream(upload.Stream);
        return new ExportPart(path, upload, hashing, RowWriterFactory.Create(format, compression, schema, hashing));
    }

    /// <summary>Finishes the file and makes it visible under its final name.</summary>
    public async Task<ExportFile> CompleteAsync(CancellationToken cancellationToken)
    {
        await Writer.CompleteAsync(cancellationToken);
        await _upload.CommitAsync(cancellationToken);
        return new ExportFile(Path, Rows, _hashing.BytesWritten, _hashing.Sha256Hex());
    }

    /// <summary>Discards the part unless it was committed.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Writer.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ExportDestinationException)
        {
            // The writer flushes on dispose; the file is being discarded anyway.
        }
        await _upload.DisposeAsync();
        await _hashing.DisposeAsync();
    }
}
