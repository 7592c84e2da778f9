using OrleansSignals.Exports.Parquet.Buffers;
using OrleansSignals.Exports.Parquet.Format;

namespace OrleansSignals.Exports.Parquet.Pages;

/// <summary>
/// Turns one page's buffered values into a v1 data page (header, then the body compressed once)
/// appended to a column chunk buffer. One instance serves every column of a writer.
/// </summary>
internal sealed class PageWriter(ParquetCompression compression, System.IO.Compression.CompressionLevel level) : IDisposable
{
    private readonly PageCompressor _compressor = new(compression, level);
    private readonly ByteBuffer _levels = new(16 * 1024);

    /// <summary>Appends the page to <paramref name="chunk"/>.</summary>
    /// <param name="presence">Presence bitmap of an OPTIONAL column; <see langword="null"/> for REQUIRED.</param>
    /// <param name="rows">Values in the page, nulls included.</param>
    /// <param name="values">The PLAIN-encoded non-null values.</param>
    public PageSizes Write(ByteBuffer chunk, ByteBuffer? presence, int rows, ReadOnlySpan<byte> values)
    {
        _levels.Clear();
        if (presence is not null)
        {
            DefinitionLevelEncoder.Encode(presence.WrittenSpan, rows, _levels);
        }

        var levels = _levels.WrittenSpan;
        var uncompressedSize = checked(levels.Length + values.Length);
        var start = chunk.Length;
        if (_compressor.IsCompressing)
        {
            var body = _compressor.Compress(levels, values);
            ParquetMetadataEncoder.WriteDataPageHeader(chunk, uncompressedSize, body.Length, rows);
            var headerSize = chunk.Length - start;
            chunk.Write(body);
            return new PageSizes(headerSize + uncompressedSize, headerSize + body.Length);
        }

        ParquetMetadataEncoder.WriteDataPageHeader(chunk, uncompressedSize, uncompressedSize, rows);
        chunk.Write(levels);
        chunk.Write(values);
        var size = chunk.Length - start;
        return new PageSizes(size, size);
    }

    public void Dispose()
    {
        _compressor.Dispose();
        _levels.Dispose();
    }
}
