using OrleansSignals.Exports.Parquet;
using OrleansSignals.Exports.Tests.Parquet.Support;

namespace OrleansSignals.Exports.Tests.Parquet;

/// <summary>Every type, its edge values and nulls, read back by DuckDB.</summary>
public sealed class ParquetFileWriterTypesTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly ParquetSchema AllTypes = new(
        new ParquetColumn("s_req", ParquetType.String, Nullable: false),
        new ParquetColumn("s_opt", ParquetType.String),
        new ParquetColumn("i_req", ParquetType.Int64, Nullable: false),
        new ParquetColumn("i_opt", ParquetType.Int64),
        new ParquetColumn("d_req", ParquetType.Double, Nullable: false),
        new ParquetColumn("d_opt", ParquetType.Double),
        new ParquetColumn("b_req", ParquetType.Boolean, Nullable: false),
        new ParquetColumn("b_opt", ParquetType.Boolean),
        new ParquetColumn("t_req", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("t_opt", ParquetType.Timestamp));

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    private static readonly object?[][] AllTypesRows =
    [
        ["plain ascii", "x", 0L, 1L, 0.0, 1.5, false, true, Epoch, Epoch],
        ["", null, 1L, null, 1.0, null, true, null, Epoch.AddTicks(10), null],
        ["🦆 duck, 👩‍💻 coder", "", -1L, long.MinValue, -0.0, double.NaN, true, false, Epoch.AddTicks(-10), new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)],
        ["数据库 データ 데이터", "Ünïcödé ß", long.MaxValue, long.MaxValue, double.PositiveInfinity, double.NegativeInfinity, false, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue],
        ["combining e\u0301 and RTL \u05E9\u05DC\u05D5\u05DD", null, long.MinValue, -42L, double.Epsilon, double.MaxValue, true, true, new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, 999, TimeSpan.FromHours(5.5)), null],
        ["tab\tnew\nline \"quote\" \\ nul\0", "'single'", 123456789012345L, null, double.MinValue, 0.1, false, false, new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, 999, TimeSpan.Zero), new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, 999, TimeSpan.Zero)],
        ["last", null, 7L, null, Math.PI, null, true, null, new DateTimeOffset(1, 1, 1, 0, 0, 0, 1, 1, TimeSpan.Zero), null],
    ];

    [Theory]
    [InlineData(ParquetCompression.None, "UNCOMPRESSED")]
    [InlineData(ParquetCompression.Gzip, "GZIP")]
    [InlineData(ParquetCompression.Brotli, "BROTLI")]
    [InlineData(ParquetCompression.Snappy, "SNAPPY")]
    [InlineData(ParquetCompression.Zstd, "ZSTD")]
    public async Task Every_type_and_edge_value_round_trips_with_each_codec(ParquetCompression codec, string duckDbCodec)
    {
        var path = temp.File($"all-types-{codec}.parquet");
        await TestRows.WriteAsync(path, AllTypes, AllTypesRows, new ParquetWriterOptions { Compression = codec });

        var file = await DuckDbReader.ReadAsync(path);

        TestRows.AssertEqual(AllTypesRows, file);
        Assert.Equal(AllTypesRows.Length, file.NumRows);
        Assert.All(file.ColumnChunks, c => Assert.Equal(duckDbCodec, c.GetProperty("compression").GetString()));
    }

    [Fact]
    public async Task The_schema_carries_physical_converted_and_logical_types()
    {
        var path = temp.File("schema.parquet");
        await TestRows.WriteAsync(path, AllTypes, AllTypesRows);

        var file = await DuckDbReader.ReadAsync(path);

        Assert.Equal(
            [
                ("s_req", "VARCHAR"), ("s_opt", "VARCHAR"), ("i_req", "BIGINT"), ("i_opt", "BIGINT"),
                ("d_req", "DOUBLE"), ("d_opt", "DOUBLE"), ("b_req", "BOOLEAN"), ("b_opt", "BOOLEAN"),
                ("t_req", "TIMESTAMP WITH TIME ZONE"), ("t_opt", "TIMESTAMP WITH TIME ZONE"),
            ],
            file.Columns);
        Assert.Equal("10", file.Schema[0].GetProperty("num_children").GetString());
        AssertSchema(file, "s_req", "BYTE_ARRAY", "REQUIRED", "UTF8", "StringType()");
        AssertSchema(file, "s_opt", "BYTE_ARRAY", "OPTIONAL", "UTF8", "StringType()");
        AssertSchema(file, "i_opt", "INT64", "OPTIONAL", null, null);
        AssertSchema(file, "d_req", "DOUBLE", "REQUIRED", null, null);
        AssertSchema(file, "b_opt", "BOOLEAN", "OPTIONAL", null, null);
        AssertSchema(file, "t_req", "INT64", "REQUIRED", "TIMESTAMP_MICROS",
            "TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))");
        Assert.Equal(ParquetWriterDefaults.CreatedBy, file.CreatedBy);
    }

    [Fact]
    public async Task Strings_of_every_size_and_script_round_trip()
    {
        var schema = new ParquetSchema(new ParquetColumn("text", ParquetType.String));
        string[] samples =
        [
            "", " ", "a", "€", "𝄞", "👨‍👩‍👧‍👦", "中文字符", "日本語のテキスト", "한국어", "Ελληνικά", "العربية", "עברית",
            new string('x', 100_000), string.Concat(Enumerable.Repeat("🦆", 40_000)), "end",
        ];
        object?[][] rows = [.. samples.Select((s, i) => new object?[] { i % 4 == 3 ? null : s })];
        var path = temp.File("strings.parquet");

        await TestRows.WriteAsync(path, schema, rows, new ParquetWriterOptions { PageSize = 64 * 1024 });

        TestRows.AssertEqual(rows, await DuckDbReader.ReadAsync(path));
    }

    [Fact]
    public async Task A_lone_surrogate_is_written_as_the_replacement_character()
    {
        var schema = new ParquetSchema(new ParquetColumn("text", ParquetType.String));
        var path = temp.File("surrogate.parquet");

        await TestRows.WriteAsync(path, schema, [["a\uD800b"]]);

        TestRows.AssertEqual([["a\uFFFDb"]], await DuckDbReader.ReadAsync(path));
    }

    [Fact]
    public async Task Timestamps_are_utc_microseconds_and_sub_microsecond_ticks_are_floored()
    {
        var schema = new ParquetSchema(new ParquetColumn("at", ParquetType.Timestamp, Nullable: false));
        var path = temp.File("timestamps.parquet");
        var local = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(-7));

        await TestRows.WriteAsync(path, schema, [[Epoch.AddTicks(-1)], [Epoch.AddTicks(19)], [local]]);

        var rows = (await DuckDbReader.ReadAsync(path)).Rows;
        Assert.Equal("1969-12-31T23:59:59.999999Z", rows[0][0].GetString());
        Assert.Equal("1970-01-01T00:00:00.000001Z", rows[1][0].GetString());
        Assert.Equal("2025-06-01T19:00:00.000000Z", rows[2][0].GetString());
    }

    [Fact]
    public async Task Booleans_cross_byte_boundaries_with_and_without_nulls()
    {
        var schema = new ParquetSchema(
            new ParquetColumn("flag", ParquetType.Boolean, Nullable: false),
            new ParquetColumn("maybe", ParquetType.Boolean));
        object?[][] rows = [.. Enumerable.Range(0, 37).Select(i => new object?[] { i % 3 == 0, i % 5 == 0 ? null : i % 2 == 0 })];
        var path = temp.File("booleans.parquet");

        await TestRows.WriteAsync(path, schema, rows);

        TestRows.AssertEqual(rows, await DuckDbReader.ReadAsync(path));
    }

    private static void AssertSchema(DuckDbFile file, string column, string type, string repetition, string? converted, string? logical)
    {
        var element = file.SchemaOf(column);
        Assert.Equal(type, element.GetProperty("type").GetString());
        Assert.Equal(repetition, element.GetProperty("repetition_type").GetString());
        Assert.Equal(converted, element.GetProperty("converted_type").GetString());
        Assert.Equal(logical, element.GetProperty("logical_type").GetString());
    }
}
