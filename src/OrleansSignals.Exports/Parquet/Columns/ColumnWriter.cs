using OrleansSignals.Exports.Parquet.Buffers;
using OrleansSignals.Exports.Parquet.Format;
using OrleansSignals.Exports.Parquet.Pages;

namespace OrleansSignals.Exports.Parquet.Columns;

/// <summary>
/// Buffers one column of the current row group. Values are PLAIN-encoded straight into the
/// current page's buffer; when the page reaches the target size it is encoded, compressed once
/// and appended to the chunk buffer, so a row group costs its compressed size plus one page per
/// column. Callers (the file writer) check types and row alignment before calling in.
/// </summary>
internal sealed partial class ColumnWriter : IDisposable
{
    private readonly PageWriter _pageWriter;
    private readonly int _pageSize;
    private readonly bool _writeMinMax;
    private readonly ByteBuffer _values = new(64 * 1024);
    private readonly ByteBuffer? _presence;
    private readonly ByteBuffer _chunk = new(64 * 1024);
    private StatisticsBuilder _statistics = new();
    private int _pageRows;
    private int _pageValues;
    private long _chunkRows;
    private long _chunkUncompressed;
    private long _chunkCompressed;

    public ColumnWriter(ParquetColumn column, PageWriter pageWriter, int pageSize, bool writeMinMax)
    {
        Column = column;
        _pageWriter = pageWriter;
        _pageSize = pageSize;
        _writeMinMax = writeMinMax;
        _presence = column.Nullable ? new ByteBuffer(16 * 1024) : null;
    }

    public ParquetColumn Column { get; }

    /// <summary>Rows appended to the current row group, the current page's included.</summary>
    public long RowCount => _chunkRows;

    /// <summary>Bytes this column holds for the current row group.</summary>
    public long BufferedBytes => _chunk.Length + _values.Length + (_presence?.Length ?? 0);

    /// <summary>The finished pages of the current row group, valid after <see cref="FinishChunk"/>.</summary>
    public ReadOnlyMemory<byte> ChunkBytes => _chunk.WrittenMemory;

    /// <summary>Closes the last page and describes the chunk; the chunk will start at <paramref name="fileOffset"/>.</summary>
    public ColumnChunkInfo FinishChunk(long fileOffset)
    {
        if (_pageRows > 0)
        {
            FinishPage();
        }

        return new ColumnChunkInfo(
            _chunkRows,
            _chunkUncompressed,
            _chunkCompressed,
            fileOffset,
            _statistics.Build(Column.Type, _writeMinMax));
    }

    /// <summary>Forgets the written chunk and starts the next row group; keeps the buffers.</summary>
    public void ResetChunk()
    {
        _chunk.Clear();
        _chunkRows = 0;
        _chunkUncompressed = 0;
        _chunkCompressed = 0;
        _statistics.Reset();
    }

    public void Dispose()
    {
        _values.Dispose();
        _presence?.Dispose();
        _chunk.Dispose();
    }

    private void FinishPage()
    {
        var sizes = _pageWriter.Write(_chunk, _presence, _pageRows, _values.WrittenSpan);
        _chunkUncompressed += sizes.Uncompressed;
        _chunkCompressed += sizes.Compressed;
        _values.Clear();
        _presence?.Clear();
        _pageRows = 0;
        _pageValues = 0;
    }
}
