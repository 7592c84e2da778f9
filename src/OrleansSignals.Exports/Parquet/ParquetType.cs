namespace OrleansSignals.Exports.Parquet;

/// <summary>The value types a <see cref="ParquetFileWriter"/> can write.</summary>
public enum ParquetType
{
    /// <summary>UTF-8 text: BYTE_ARRAY annotated STRING (ConvertedType UTF8).</summary>
    String,

    /// <summary>Signed 64-bit integer: INT64.</summary>
    Int64,

    /// <summary>IEEE 754 double: DOUBLE.</summary>
    Double,

    /// <summary>BOOLEAN, bit-packed.</summary>
    Boolean,

    /// <summary>
    /// An instant: INT64 microseconds since the Unix epoch, annotated
    /// TIMESTAMP(isAdjustedToUTC = true, unit = MICROS) and ConvertedType TIMESTAMP_MICROS.
    /// </summary>
    Timestamp,
}
