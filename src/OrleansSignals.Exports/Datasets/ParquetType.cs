namespace OrleansSignals.Exports.Datasets;

/// <summary>
/// The value type of an export column. The names are Parquet's: in Parquet files
/// (<see cref="Formats.ParquetRowWriter"/>, through Parquet.Net) each is the physical and logical type below.
/// </summary>
public enum ParquetType
{
    /// <summary>UTF-8 text: BYTE_ARRAY annotated STRING, dictionary encoded when values repeat.</summary>
    String,

    /// <summary>Signed 64-bit integer: INT64.</summary>
    Int64,

    /// <summary>IEEE 754 double: DOUBLE.</summary>
    Double,

    /// <summary>BOOLEAN, bit-packed.</summary>
    Boolean,

    /// <summary>
    /// An instant: INT64 microseconds since the Unix epoch, annotated
    /// TIMESTAMP(isAdjustedToUTC = true, unit = MICROS).
    /// </summary>
    Timestamp,
}
