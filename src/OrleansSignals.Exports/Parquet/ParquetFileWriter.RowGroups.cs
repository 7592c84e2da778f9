using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using OrleansSignals.Exports.Parquet.Buffers;
using OrleansSignals.Exports.Parquet.Format;

namespace OrleansSignals.Exports.Parquet;

public sealed partial class ParquetFileWriter
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Ends the row; if the row group is full, writes it to the stream synchronously.</summary>
    public void EndRow()
    {
        if (CompleteRow())
        {
            FlushRowGroup();
        }
    }

    /// <summary>Ends the row; if the row group is full, writes it to the stream asynchronously.</summary>
    public ValueTask EndRowAsync(CancellationToken cancellationToken = default) =>
        CompleteRow() ? new ValueTask(FlushRowGroupAsync(cancellationToken)) : default;

    /// <summary>Writes the last row group and the footer, then flushes the stream.</summary>
    public void Complete()
    {
        EnsureCompletable();
        FlushRowGroup();
        Guard(() =>
        {
            using var footer = BuildFooter();
            _output.Write(footer.WrittenSpan);
            BytesWritten += footer.Length;
            _output.Flush();
        });
        _state = WriterState.Completed;
    }

    /// <inheritdoc cref="Complete"/>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        EnsureCompletable();
        await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var footer = BuildFooter();
            await _output.WriteAsync(footer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            BytesWritten += footer.Length;
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _state = WriterState.Faulted;
            throw;
        }

        _state = WriterState.Completed;
    }

    public void Dispose()
    {
        try
        {
            if (_state == WriterState.Open && !HasPartialRow())
            {
                Complete();
            }
        }
        finally
        {
            Release();
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_state == WriterState.Open && !HasPartialRow())
            {
                await CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Release();
            if (!_leaveOpen)
            {
                await _output.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Checks every column got exactly one value; returns whether the row group is full.</summary>
    private bool CompleteRow()
    {
        if (_state != WriterState.Open)
        {
            ThrowNotOpen();
        }

        var expected = _rowsInGroup + 1;
        long buffered = 0;
        foreach (var column in _columns)
        {
            if (column.RowCount != expected)
            {
                ThrowMissingValue(column.Column);
            }

            buffered += column.BufferedBytes;
        }

        _rowsInGroup = expected;
        return _rowsInGroup >= _options.RowGroupRows || buffered >= _options.RowGroupBytes;
    }

    private void FlushRowGroup()
    {
        if (_rowsInGroup == 0)
        {
            return;
        }

        Guard(() =>
        {
            if (BytesWritten == 0)
            {
                _output.Write(Magic);
                BytesWritten = Magic.Length;
            }

            var firstOffset = BytesWritten;
            var chunks = new ColumnChunkInfo[_columns.Length];
            for (var i = 0; i < _columns.Length; i++)
            {
                chunks[i] = _columns[i].FinishChunk(BytesWritten);
                var bytes = _columns[i].ChunkBytes;
                _output.Write(bytes.Span);
                BytesWritten += bytes.Length;
                _columns[i].ResetChunk();
            }

            EndRowGroup(firstOffset, chunks);
        });
    }

    private async Task FlushRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_rowsInGroup == 0)
        {
            return;
        }

        try
        {
            if (BytesWritten == 0)
            {
                await _output.WriteAsync(Magic.ToArray(), cancellationToken).ConfigureAwait(false);
                BytesWritten = Magic.Length;
            }

            var firstOffset = BytesWritten;
            var chunks = new ColumnChunkInfo[_columns.Length];
            for (var i = 0; i < _columns.Length; i++)
            {
                chunks[i] = _columns[i].FinishChunk(BytesWritten);
                var bytes = _columns[i].ChunkBytes;
                await _output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                BytesWritten += bytes.Length;
                _columns[i].ResetChunk();
            }

            EndRowGroup(firstOffset, chunks);
        }
        catch
        {
            _state = WriterState.Faulted;
            throw;
        }
    }

    private void EndRowGroup(long firstOffset, ColumnChunkInfo[] chunks)
    {
        _rowGroups.Add(new RowGroupInfo(_rowsInGroup, firstOffset, chunks));
        _rowsInFlushedGroups += _rowsInGroup;
        _rowsInGroup = 0;
    }

    /// <summary>FileMetaData, its 4-byte little-endian length and the closing magic (and the opening one for an empty file).</summary>
    private ByteBuffer BuildFooter()
    {
        var footer = new ByteBuffer(16 * 1024);
        if (BytesWritten == 0)
        {
            footer.Write(Magic);
        }

        var metadataStart = footer.Length;
        ParquetMetadataEncoder.WriteFileMetaData(footer, Schema, _options.Compression, _rowGroups, _options.CreatedBy);
        BinaryPrimitives.WriteInt32LittleEndian(footer.GetSpan(4), footer.Length - metadataStart);
        footer.Advance(4);
        footer.Write(Magic);
        return footer;
    }

    private void EnsureCompletable()
    {
        if (_state != WriterState.Open)
        {
            ThrowNotOpen();
        }

        if (HasPartialRow())
        {
            throw new InvalidOperationException("A row is half appended; append its remaining columns and call EndRow first.");
        }
    }

    private bool HasPartialRow() => _columns.Any(c => c.RowCount != _rowsInGroup);

    /// <summary>Runs a write; if it fails the file is unusable, so the writer stops accepting work.</summary>
    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch
        {
            _state = WriterState.Faulted;
            throw;
        }
    }

    private void Release()
    {
        if (_state == WriterState.Disposed)
        {
            return;
        }

        foreach (var column in _columns)
        {
            column.Dispose();
        }

        _pageWriter.Dispose();
        _state = WriterState.Disposed;
    }

    [DoesNotReturn]
    private static void ThrowMissingValue(ParquetColumn column) => throw new InvalidOperationException(
        $"Column '{column.Name}' has no value in this row; append one (or a null) before EndRow.");
}
