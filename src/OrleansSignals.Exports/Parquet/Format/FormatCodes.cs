namespace OrleansSignals.Exports.Parquet.Format;

/// <summary>The enum values of parquet.thrift this writer uses.</summary>
internal static class FormatCodes
{
    public const int TypeBoolean = 0;
    public const int TypeInt64 = 2;
    public const int TypeDouble = 5;
    public const int TypeByteArray = 6;

    public const int ConvertedUtf8 = 0;
    public const int ConvertedTimestampMicros = 10;

    public const int RepetitionRequired = 0;
    public const int RepetitionOptional = 1;

    public const int EncodingPlain = 0;
    public const int EncodingRle = 3;

    public const int CodecUncompressed = 0;
    public const int CodecSnappy = 1;
    public const int CodecGzip = 2;
    public const int CodecBrotli = 4;
    public const int CodecZstd = 6;

    public const int PageTypeData = 0;

    public static int PhysicalType(ParquetType type) => type switch
    {
        ParquetType.String => TypeByteArray,
        ParquetType.Int64 or ParquetType.Timestamp => TypeInt64,
        ParquetType.Double => TypeDouble,
        ParquetType.Boolean => TypeBoolean,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown Parquet type."),
    };

    public static int Codec(ParquetCompression compression) => compression switch
    {
        ParquetCompression.None => CodecUncompressed,
        ParquetCompression.Gzip => CodecGzip,
        ParquetCompression.Brotli => CodecBrotli,
        ParquetCompression.Snappy => CodecSnappy,
        ParquetCompression.Zstd => CodecZstd,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown codec."),
    };
}
