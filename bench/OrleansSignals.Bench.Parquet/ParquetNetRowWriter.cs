using System.IO.Compression;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;
using Parquet;
using Field = Parquet.Schema.Field;
using FileSchema = Parquet.Schema.ParquetSchema;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// The exports' <see cref="IRowWriter"/> over Parquet.Net 6.1.0, as it was wired into the exports for
/// issue 11 and measured against our writer (docs/benchmarks-parquet.md; the exports kept ours because
/// Parquet.Net writes wrong statistics for microsecond timestamps). Rows go into a Parquet file written by
/// Parquet.Net, one row group at a time: the writer holds at most
/// one row group's values (<see cref="ParquetFileOptions"/>), so memory stays bounded whatever the
/// export's size. Compression is the page codec inside the file. String columns are dictionary
/// encoded when their values repeat (Parquet.Net checks a sample of each row group).
/// </summary>
internal sealed class ParquetNetRowWriter : IRowWriter
{
    /// <summary>Values Parquet.Net samples before deciding whether a string column is worth a dictionary.</summary>
    private const int DictionarySample = 4096;

    private readonly Stream _output;
    private readonly FileSchema _fileSchema;
    private readonly ParquetColumnBuffer[] _columns;
    private readonly ParquetOptions _options;
    private readonly ParquetFileOptions _limits;
    private ParquetWriter? _writer;
    private int _rows;
    private long _bytes;

    /// <param name="output">Written from its current position; left open. Need not be seekable.</param>
    public ParquetNetRowWriter(Stream output, ParquetSchema schema, ExportCompression compression, ParquetFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        _output = output;
        _limits = options ?? new ParquetFileOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_limits.RowGroupRows, 1, nameof(options));
        _columns = [.. schema.Columns.Select(c => ParquetColumnBuffer.Create(c, _limits.RowGroupRows))];
        _fileSchema = new FileSchema(_columns.Select(c => (Field)c.Field));
        _options = new ParquetOptions
        {
            CompressionMethod = Codec(compression),
            // The export is CPU bound: the fastest level of each codec (zstd 1, gzip and brotli "fastest").
            CompressionLevel = CompressionLevel.Fastest,
            DictionaryEncodingSampleSize = DictionarySample,
        };
        foreach (var column in _columns.Where(c => c.Column.Type == ParquetType.String))
        {
            _options.ColumnEncodingHints[column.Field.Path.ToString()] = EncodingHint.Dictionary;
        }
    }

    /// <summary>The Parquet.Net codec of an export compression.</summary>
    public static CompressionMethod Codec(ExportCompression compression) => compression switch
    {
        ExportCompression.None => CompressionMethod.None,
        ExportCompression.Snappy => CompressionMethod.Snappy,
        ExportCompression.Gzip => CompressionMethod.Gzip,
        ExportCompression.Zstd => CompressionMethod.Zstd,
        ExportCompression.Brotli => CompressionMethod.Brotli,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };

    public void AppendNull(int column) => _columns[column].AppendNull();

    public void AppendString(int column, string value)
    {
        _columns[column].AppendString(value);
        _bytes += 2L * value.Length;
    }

    public void AppendInt64(int column, long value)
    {
        _columns[column].AppendInt64(value);
        _bytes += sizeof(long);
    }

    public void AppendDouble(int column, double value)
    {
        _columns[column].AppendDouble(value);
        _bytes += sizeof(double);
    }

    public void AppendBoolean(int column, bool value)
    {
        _columns[column].AppendBoolean(value);
        _bytes += sizeof(long);
    }

    public void AppendTimestamp(int column, DateTime utc)
    {
        _columns[column].AppendTimestamp(utc);
        _bytes += sizeof(long);
    }

    public ValueTask EndRowAsync(CancellationToken cancellationToken)
    {
        _rows++;
        foreach (var column in _columns)
        {
            // Every column takes exactly one value (or null) per row; anything else would shift values between rows.
            if (column.Rows != _rows)
            {
                throw new InvalidOperationException($"Column '{column.Column.Name}' has {column.Rows} values where the row group has {_rows} rows.");
            }
        }

        return _rows >= _limits.RowGroupRows || _bytes >= _limits.RowGroupBytes
            ? new ValueTask(WriteRowGroupAsync(cancellationToken))
            : ValueTask.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_rows > 0)
        {
            await WriteRowGroupAsync(cancellationToken);
        }

        // A file without rows is still a valid Parquet file: the schema and no row group.
        _writer ??= await ParquetWriter.CreateAsync(_fileSchema, _output, _options, cancellationToken: cancellationToken);
        await _writer.DisposeAsync();
        _writer = null;
        await _output.FlushAsync(cancellationToken);
    }

    /// <summary>Drops what is buffered; an uncompleted file is being discarded, so no footer is written.</summary>
    public ValueTask DisposeAsync()
    {
        _writer = null;
        return ValueTask.CompletedTask;
    }

    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        _writer ??= await ParquetWriter.CreateAsync(_fileSchema, _output, _options, cancellationToken: cancellationToken);
        using (var rowGroup = _writer.CreateRowGroup())
        {
            foreach (var column in _columns)
            {
                await column.FlushAsync(rowGroup, cancellationToken);
            }

            rowGroup.CompleteValidate();
        }

        _rows = 0;
        _bytes = 0;
    }
}
