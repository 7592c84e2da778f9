using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;
using Parquet;
using Parquet.Schema;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// One column of the row group being built by <see cref="ParquetNetRowWriter"/>: the non-null values in
/// row order and, for an OPTIONAL column, one definition level per row (1 present, 0 null). Both are
/// handed to Parquet.Net as they are, so a row group costs no copy before encoding.
/// </summary>
internal abstract class ParquetColumnBuffer
{
    protected ParquetColumnBuffer(ParquetColumn column, DataField field, int capacity)
    {
        Column = column;
        Field = field;
        Levels = column.Nullable ? new int[capacity] : null;
    }

    public ParquetColumn Column { get; }

    public DataField Field { get; }

    /// <summary>Rows appended to this column in the current row group.</summary>
    public int Rows { get; private set; }

    /// <summary>Non-null values appended in the current row group.</summary>
    public int Values { get; private set; }

    protected int[]? Levels { get; }

    public static ParquetColumnBuffer Create(ParquetColumn column, int capacity) => column.Type switch
    {
        ParquetType.String => new ParquetStringColumn(column, new DataField<string>(column.Name, column.Nullable), capacity),
        ParquetType.Int64 => new ParquetValueColumn<long>(column, new DataField<long>(column.Name, column.Nullable), capacity),
        ParquetType.Double => new ParquetValueColumn<double>(column, new DataField<double>(column.Name, column.Nullable), capacity),
        ParquetType.Boolean => new ParquetValueColumn<bool>(column, new DataField<bool>(column.Name, column.Nullable), capacity),
        // TIMESTAMP(isAdjustedToUTC = true, MICROS): what docs/exports.md promises and what DuckDB reads as TIMESTAMP WITH TIME ZONE.
        ParquetType.Timestamp => new ParquetValueColumn<DateTime>(column,
            new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: column.Nullable),
            capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, $"Column '{column.Name}' has a type Parquet export does not know."),
    };

    public void AppendNull()
    {
        if (Levels is null)
        {
            throw new InvalidOperationException($"Column '{Column.Name}' is REQUIRED and got a null.");
        }

        Levels[Rows++] = 0;
    }

    public virtual void AppendString(string value) => throw WrongType("a string");

    public virtual void AppendInt64(long value) => throw WrongType("an int64");

    public virtual void AppendDouble(double value) => throw WrongType("a double");

    public virtual void AppendBoolean(bool value) => throw WrongType("a boolean");

    public virtual void AppendTimestamp(DateTime utc) => throw WrongType("a timestamp");

    /// <summary>Writes this column's chunk of the row group, then empties the buffer for the next one.</summary>
    public async Task FlushAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken)
    {
        // Spelled out: a bare null here would convert to an empty ReadOnlyMemory<int> (through int[]), which
        // Parquet.Net would take as "no rows".
        ReadOnlyMemory<int>? levels = Levels is null ? default(ReadOnlyMemory<int>?) : new ReadOnlyMemory<int>(Levels, 0, Rows);
        await WriteAsync(rowGroup, levels, cancellationToken);
        Clear();
        Rows = 0;
        Values = 0;
    }

    /// <summary>Counts one non-null value of the current row; the subclass has stored it at index <see cref="Values"/>.</summary>
    protected void Present()
    {
        if (Levels is not null)
        {
            Levels[Rows] = 1;
        }

        Rows++;
        Values++;
    }

    protected abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, ReadOnlyMemory<int>? levels, CancellationToken cancellationToken);

    /// <summary>Drops references held for the row group just written (strings), so they can be collected.</summary>
    protected virtual void Clear()
    {
    }

    private InvalidOperationException WrongType(string given) =>
        new($"Column '{Column.Name}' is {Column.Type} and got {given}.");
}
