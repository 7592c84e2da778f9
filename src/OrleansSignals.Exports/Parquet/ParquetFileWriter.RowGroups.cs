using OrleansSignals.Exports.Parquet.Format;

namespace OrleansSignals.Exports.Parquet;

public sealed partial class ParquetFileWriter
{
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
}
