using System.Buffers;
using System.IO.Compression;

namespace OrleansSignals.Exports.Formats;

/// <summary>
/// Shared by the text formats: rows are encoded as UTF-8 into a buffer that is written to the
/// output (through gzip when asked) once it holds <see cref="FlushBytes"/>, so every write to the
/// destination is asynchronous and memory stays at one buffer.
/// </summary>
public abstract class TextRowWriter : IRowWriter
{
    private const int FlushBytes = 256 * 1024;
    private readonly Stream _output;
    private readonly Stream? _compressor;

    protected TextRowWriter(Stream output, ExportCompression compression)
    {
        _compressor = compression switch
        {
            ExportCompression.None => null,
            ExportCompression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Text formats are compressed with gzip or not at all."),
        };
        _output = _compressor ?? output;
    }

    protected ArrayBufferWriter<byte> Buffer { get; } = new(FlushBytes + 64 * 1024);

    public abstract void AppendNull(int column);

    public abstract void AppendString(int column, string value);

    public abstract void AppendInt64(int column, long value);

    public abstract void AppendDouble(int column, double value);

    public abstract void AppendBoolean(int column, bool value);

    public abstract void AppendTimestamp(int column, DateTime utc);

    /// <summary>The text form by default (CSV); JSON Lines writes the value itself.</summary>
    public virtual void AppendJson(int column, string json) => AppendString(column, TextValues.JsonText(json));

    /// <summary>Ends the row in <see cref="Buffer"/>.</summary>
    protected abstract void EndRow();

    /// <summary>Writes anything a format puts before the first row (the CSV header).</summary>
    protected virtual void Begin()
    {
    }

    public ValueTask EndRowAsync(CancellationToken cancellationToken)
    {
        EndRow();
        return Buffer.WrittenCount >= FlushBytes ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (_compressor is not null)
        {
            // Disposing the compressor writes its trailer to the (still open) output.
            await _compressor.DisposeAsync();
        }
        else
        {
            await _output.FlushAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_compressor is not null) await _compressor.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Called by constructors of derived types once their own fields are set.</summary>
    protected void Start() => Begin();

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Buffer.WrittenCount == 0) return;
        await _output.WriteAsync(Buffer.WrittenMemory, cancellationToken);
        Buffer.ResetWrittenCount();
    }
}
