using OrleansSignals.Exports.Parquet.Columns;
using OrleansSignals.Exports.Parquet.Format;
using OrleansSignals.Exports.Parquet.Pages;

namespace OrleansSignals.Exports.Parquet;

/// <summary>
/// Writes a Parquet file to a stream, row by row, holding at most one row group in memory.
/// For each row, append one value to every column (by ordinal, in any order), then call
/// <see cref="EndRow"/> or <see cref="EndRowAsync"/>; finish with <see cref="CompleteAsync"/>.
/// </summary>
/// <remarks>
/// The stream only needs to be writable: offsets are counted, never asked of the stream.
/// Disposing a writer that is not completed completes it (writes the footer), unless a row is
/// half appended or an earlier write failed: then the file is left without a footer, which every
/// reader rejects, rather than ending with a row that was never finished. Not thread-safe.
/// </remarks>
public sealed partial class ParquetFileWriter : IAsyncDisposable, IDisposable
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly ParquetWriterOptions _options;
    private readonly PageWriter _pageWriter;
    private readonly ColumnWriter[] _columns;
    private readonly List<RowGroupInfo> _rowGroups = [];
    private WriterState _state;
    private int _rowsInGroup;
    private long _rowsInFlushedGroups;

    /// <param name="output">A writable stream; it need not be seekable.</param>
    /// <param name="schema">The columns of the file.</param>
    /// <param name="options">Codec, row group and page sizes; defaults when null.</param>
    /// <param name="leaveOpen">Leave <paramref name="output"/> open when the writer is disposed.</param>
    public ParquetFileWriter(Stream output, ParquetSchema schema, ParquetWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream must be writable.", nameof(output));
        }

        _options = options ?? new ParquetWriterOptions();
        _options.Validate();
        _output = output;
        _leaveOpen = leaveOpen;
        Schema = schema;
        _pageWriter = new PageWriter(_options.Compression, _options.CompressionLevel);
        _columns = [.. schema.Columns.Select(c => new ColumnWriter(c, _pageWriter, _options.PageSize, _options.WriteStatistics))];
    }

    private enum WriterState
    {
        Open,
        Completed,
        Faulted,
        Disposed,
    }

    /// <summary>The schema the file is written with; column ordinals index into it.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Rows ended so far.</summary>
    public long RowCount => _rowsInFlushedGroups + _rowsInGroup;

    /// <summary>Row groups written to the stream so far.</summary>
    public int RowGroupCount => _rowGroups.Count;

    /// <summary>Bytes written to the stream so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Appends a string (UTF-8 encoded in place) or, for <see langword="null"/>, a null.</summary>
    /// <param name="column">The column's ordinal in <see cref="Schema"/>.</param>
    public void AppendString(int column, string? value)
    {
        if (value is null)
        {
            AppendNull(column);
            return;
        }

        Column(column, ParquetType.String).WriteString(value);
    }

    /// <summary>Appends a non-null string given as characters, e.g. formatted into a stack buffer.</summary>
    public void AppendString(int column, ReadOnlySpan<char> value) => Column(column, ParquetType.String).WriteString(value);

    /// <summary>Appends a 64-bit integer or a null.</summary>
    public void AppendInt64(int column, long? value)
    {
        if (value is not { } v)
        {
            AppendNull(column);
            return;
        }

        Column(column, ParquetType.Int64).WriteInt64(v);
    }

    /// <summary>Appends a double (NaN and infinities included) or a null.</summary>
    public void AppendDouble(int column, double? value)
    {
        if (value is not { } v)
        {
            AppendNull(column);
            return;
        }

        Column(column, ParquetType.Double).WriteDouble(v);
    }

    /// <summary>Appends a boolean or a null.</summary>
    public void AppendBoolean(int column, bool? value)
    {
        if (value is not { } v)
        {
            AppendNull(column);
            return;
        }

        Column(column, ParquetType.Boolean).WriteBoolean(v);
    }

    /// <summary>Appends an instant, stored as UTC microseconds (sub-microsecond ticks are floored).</summary>
    public void AppendTimestamp(int column, DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            AppendNull(column);
            return;
        }

        var ticks = v.UtcTicks - DateTime.UnixEpoch.Ticks;
        var micros = ticks / TimeSpan.TicksPerMicrosecond;
        if (ticks % TimeSpan.TicksPerMicrosecond < 0)
        {
            micros--;
        }

        Column(column, ParquetType.Timestamp).WriteInt64(micros);
    }

    /// <summary>Appends a null to an OPTIONAL column of any type.</summary>
    public void AppendNull(int column)
    {
        var writer = Column(column);
        if (!writer.Column.Nullable)
        {
            ThrowRequired(writer.Column);
        }

        writer.WriteNull();
    }
}
