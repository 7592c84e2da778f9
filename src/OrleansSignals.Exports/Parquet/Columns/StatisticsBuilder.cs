using System.Buffers.Binary;
using OrleansSignals.Exports.Parquet.Format;

namespace OrleansSignals.Exports.Parquet.Columns;

/// <summary>
/// Accumulates a column chunk's null count and, for the fixed-width types, min and max. Kept
/// branch-light because it runs once per value.
/// </summary>
internal struct StatisticsBuilder
{
    private long _values;
    private long _nulls;
    private long _nans;
    private long _minInt64;
    private long _maxInt64;
    private double _minDouble;
    private double _maxDouble;

    public StatisticsBuilder() => Reset();

    public void AddNull() => _nulls++;

    public void Add(long value)
    {
        _values++;
        _minInt64 = Math.Min(_minInt64, value);
        _maxInt64 = Math.Max(_maxInt64, value);
    }

    /// <summary>NaN is counted apart and kept out of min/max, as TYPE_ORDER for DOUBLE requires.</summary>
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            _nans++;
            return;
        }

        _values++;
        _minDouble = Math.Min(_minDouble, value);
        _maxDouble = Math.Max(_maxDouble, value);
    }

    public readonly ColumnChunkStatistics Build(ParquetType type, bool withMinMax)
    {
        var nanCount = type == ParquetType.Double ? _nans : (long?)null;
        if (!withMinMax || _values == 0)
        {
            return new ColumnChunkStatistics(_nulls, nanCount, null, null);
        }

        switch (type)
        {
            case ParquetType.Int64:
            case ParquetType.Timestamp:
                return new ColumnChunkStatistics(_nulls, nanCount, Int64Bytes(_minInt64), Int64Bytes(_maxInt64));
            case ParquetType.Double:
                // The format asks for -0.0 as a zero minimum and +0.0 as a zero maximum, because
                // the chunk may hold either zero.
                var min = _minDouble == 0 ? -0.0 : _minDouble;
                var max = _maxDouble == 0 ? 0.0 : _maxDouble;
                return new ColumnChunkStatistics(_nulls, nanCount, DoubleBytes(min), DoubleBytes(max));
            default:
                return new ColumnChunkStatistics(_nulls, nanCount, null, null);
        }
    }

    public void Reset()
    {
        _values = 0;
        _nulls = 0;
        _nans = 0;
        _minInt64 = long.MaxValue;
        _maxInt64 = long.MinValue;
        _minDouble = double.PositiveInfinity;
        _maxDouble = double.NegativeInfinity;
    }

    private static byte[] Int64Bytes(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] DoubleBytes(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }
}
