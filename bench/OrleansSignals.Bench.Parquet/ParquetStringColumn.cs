using OrleansSignals.Exports.Parquet;
using Parquet;
using Parquet.Schema;

namespace OrleansSignals.Bench.Parquet;

/// <summary>A UTF-8 STRING column of the row group being built; holds the row group's strings until it is written.</summary>
internal sealed class ParquetStringColumn(ParquetColumn column, DataField field, int capacity) : ParquetColumnBuffer(column, field, capacity)
{
    private readonly ReadOnlyMemory<char>[] _values = new ReadOnlyMemory<char>[capacity];

    public override void AppendString(string value)
    {
        _values[Values] = value.AsMemory();
        Present();
    }

    protected override Task WriteAsync(ParquetRowGroupWriter rowGroup, ReadOnlyMemory<int>? levels, CancellationToken cancellationToken) =>
        rowGroup.WriteAllPartsAsync(Field, new ReadOnlyMemory<ReadOnlyMemory<char>>(_values, 0, Values), levels, null, cancellationToken);

    protected override void Clear() => Array.Clear(_values, 0, Values);
}
