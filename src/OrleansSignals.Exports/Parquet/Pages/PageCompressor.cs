using System.Buffers;
using System.IO.Compression;
using OrleansSignals.Exports.Parquet.Buffers;

namespace OrleansSignals.Exports.Parquet.Pages;

/// <summary>
/// Compresses a page body (given as two parts: encoded levels, then values) in one pass into a
/// reusable scratch buffer. GZIP writes one gzip member per page; BROTLI one Brotli stream.
/// </summary>
internal sealed class PageCompressor : IDisposable
{
    private const int BrotliWindowBits = 22;

    private readonly ParquetCompression _compression;
    private readonly CompressionLevel _level;
    private readonly ByteBuffer _output = new(64 * 1024);
    private readonly ByteBufferStream _sink;

    public PageCompressor(ParquetCompression compression, CompressionLevel level)
    {
        _compression = compression;
        _level = level;
        _sink = new ByteBufferStream(_output);
    }

    public bool IsCompressing => _compression != ParquetCompression.None;

    /// <summary>Compresses <paramref name="first"/> followed by <paramref name="second"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        _output.Clear();
        switch (_compression)
        {
            case ParquetCompression.Gzip:
                using (var gzip = new GZipStream(_sink, _level, leaveOpen: true))
                {
                    gzip.Write(first);
                    gzip.Write(second);
                }

                break;
            case ParquetCompression.Brotli:
                CompressBrotli(first, second);
                break;
            default:
                throw new InvalidOperationException($"Codec {_compression} does not compress.");
        }

        return _output.WrittenSpan;
    }

    public void Dispose()
    {
        _sink.Dispose();
        _output.Dispose();
    }

    private void CompressBrotli(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var encoder = new BrotliEncoder(BrotliQuality(_level), BrotliWindowBits);
        try
        {
            _output.GetSpan(BrotliEncoder.GetMaxCompressedLength(first.Length + second.Length));
            Feed(ref encoder, first, isFinalBlock: false);
            Feed(ref encoder, second, isFinalBlock: true);
        }
        finally
        {
            encoder.Dispose();
        }
    }

    private void Feed(ref BrotliEncoder encoder, ReadOnlySpan<byte> source, bool isFinalBlock)
    {
        while (true)
        {
            var status = encoder.Compress(source, _output.GetSpan(4096), out var consumed, out var written, isFinalBlock);
            _output.Advance(written);
            source = source[consumed..];
            switch (status)
            {
                case OperationStatus.Done when source.IsEmpty:
                    return;
                case OperationStatus.Done:
                case OperationStatus.DestinationTooSmall:
                    continue;
                default:
                    throw new InvalidDataException($"Brotli compression failed with {status}.");
            }
        }
    }

    // The qualities BrotliStream uses for the same levels.
    private static int BrotliQuality(CompressionLevel level) => level switch
    {
        CompressionLevel.NoCompression => 0,
        CompressionLevel.Fastest => 1,
        CompressionLevel.SmallestSize => 11,
        _ => 4,
    };
}
