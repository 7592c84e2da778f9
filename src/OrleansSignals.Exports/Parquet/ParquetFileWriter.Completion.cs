using System.Buffers.Binary;
using OrleansSignals.Exports.Parquet.Buffers;
using OrleansSignals.Exports.Parquet.Format;

namespace OrleansSignals.Exports.Parquet;

public sealed partial class ParquetFileWriter
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

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
}
