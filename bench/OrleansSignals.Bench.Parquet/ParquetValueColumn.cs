using OrleansSignals.Exports.Parquet;
using Parquet;
using Parquet.Schema;

namespace OrleansSignals.Bench.Parquet;

/// <summary>An INT64, DOUBLE, BOOLEAN or TIMESTAMP column of the row group being built.</summary>
internal sealed class ParquetValueColumn<T>(ParquetColumn column, DataField field, int capacity) : ParquetColumnBuffer(column, field, capacity)
    where T : struct
{
    private readonly T[] _values = new T[capacity];

    public override void AppendInt64(long value) => Append(value);

    public override void AppendDouble(double value) => Append(value);

    public override void AppendBoolean(bool value) => Append(value);

    public override void AppendTimestamp(DateTime utc) => Append(utc);

    protected override Task WriteAsync(ParquetRowGroupWriter rowGroup, ReadOnlyMemory<int>? levels, CancellationToken cancellationToken) =>
        rowGroup.WriteAllPartsAsync(Field, new ReadOnlyMemory<T>(_values, 0, Values), levels, null, cancellationToken);

    private void Append<TValue>(TValue value)
    {
        if (value is not T typed)
        {
            throw new InvalidOperationException($"Column '{Column.Name}' is {Column.Type} and got a {typeof(TValue).Name}.");
        }

        _values[Values] = typed;
        Present();
    }
}
