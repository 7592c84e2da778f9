using System.Buffers;
using System.IO.Compression;
using OrleansSignals.Exports.Parquet.Buffers;

namespace OrleansSignals.Exports.Parquet.Pages;

/// <summary>
/// Compresses a page body (given as two parts: encoded levels, then values) in one pass into a
/// reusable scratch buffer. GZIP writes one gzip member per page; BROTLI one Brotli stream; SNAPPY one
/// raw Snappy block (Snappier) and ZSTD one Zstandard frame (ZstdSharp), both from a contiguous copy of
/// the page body.
/// </summary>
internal sealed class PageCompressor : IDisposable
{
    private const int BrotliWindowBits = 22;

    private readonly ParquetCompression _compression;
    private readonly CompressionLevel _level;
    private readonly ByteBuffer _output = new(64 * 1024);
    private readonly ByteBufferStream _sink;
    private ByteBuffer? _input;
    private ZstdSharp.Compressor? _zstd;

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
            case ParquetCompression.Snappy:
            {
                var body = Contiguous(first, second);
                _output.Advance(Snappier.Snappy.Compress(body, _output.GetSpan(Snappier.Snappy.GetMaxCompressedLength(body.Length))));
                break;
            }

            case ParquetCompression.Zstd:
            {
                var body = Contiguous(first, second);
                _zstd ??= new ZstdSharp.Compressor(ZstdLevel(_level));
                _output.Advance(_zstd.Wrap(body, _output.GetSpan(ZstdSharp.Compressor.GetCompressBound(body.Length))));
                break;
            }

            default:
                throw new InvalidOperationException($"Codec {_compression} does not compress.");
        }

        return _output.WrittenSpan;
    }

    public void Dispose()
    {
        _sink.Dispose();
        _output.Dispose();
        _input?.Dispose();
        _zstd?.Dispose();
    }

    /// <summary>The page body in one span (Snappy and Zstandard compress one buffer); valid until the next call.</summary>
    private ReadOnlySpan<byte> Contiguous(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        if (second.IsEmpty)
        {
            return first;
        }

        _input ??= new ByteBuffer(64 * 1024);
        _input.Clear();
        first.CopyTo(_input.GetSpan(first.Length));
        _input.Advance(first.Length);
        second.CopyTo(_input.GetSpan(second.Length));
        _input.Advance(second.Length);
        return _input.WrittenSpan;
    }

    // Zstandard levels for the .NET levels: 1 is zstd's fastest useful level, 3 its default.
    private static int ZstdLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.NoCompression or CompressionLevel.Fastest => 1,
        CompressionLevel.SmallestSize => 19,
        _ => 3,
    };

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
