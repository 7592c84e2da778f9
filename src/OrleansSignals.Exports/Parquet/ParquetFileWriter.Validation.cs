using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using OrleansSignals.Exports.Parquet.Columns;

namespace OrleansSignals.Exports.Parquet;

/// <summary>The checks every append makes, fast path inline and throws out of line.</summary>
public sealed partial class ParquetFileWriter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ColumnWriter Column(int column, ParquetType type)
    {
        var writer = Column(column);
        if (writer.Column.Type != type)
        {
            ThrowWrongType(writer.Column, type);
        }

        return writer;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ColumnWriter Column(int column)
    {
        if (_state != WriterState.Open)
        {
            ThrowNotOpen();
        }

        var columns = _columns;
        if ((uint)column >= (uint)columns.Length)
        {
            ThrowNoSuchColumn(column);
        }

        var writer = columns[column];
        if (writer.RowCount != _rowsInGroup)
        {
            ThrowAlreadyAppended(writer.Column);
        }

        return writer;
    }

    [DoesNotReturn]
    private void ThrowNotOpen() => throw (_state == WriterState.Disposed
        ? new ObjectDisposedException(nameof(ParquetFileWriter))
        : new InvalidOperationException($"The Parquet writer is {_state.ToString().ToLowerInvariant()}; no more rows can be written."));

    [DoesNotReturn]
    private void ThrowNoSuchColumn(int column) => throw new ArgumentOutOfRangeException(
        nameof(column), column, $"The schema has {_columns.Length} columns.");

    [DoesNotReturn]
    private static void ThrowWrongType(ParquetColumn column, ParquetType type) => throw new InvalidOperationException(
        $"Column '{column.Name}' is {column.Type}, not {type}.");

    [DoesNotReturn]
    private static void ThrowRequired(ParquetColumn column) => throw new InvalidOperationException(
        $"Column '{column.Name}' is not nullable (REQUIRED); it cannot take a null.");

    [DoesNotReturn]
    private static void ThrowAlreadyAppended(ParquetColumn column) => throw new InvalidOperationException(
        $"Column '{column.Name}' already has a value in this row; call EndRow first.");

    [DoesNotReturn]
    private static void ThrowMissingValue(ParquetColumn column) => throw new InvalidOperationException(
        $"Column '{column.Name}' has no value in this row; append one (or a null) before EndRow.");
}
