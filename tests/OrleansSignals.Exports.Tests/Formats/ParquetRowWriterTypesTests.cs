using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Tests.Support;

namespace OrleansSignals.Exports.Tests.Formats;

/// <summary>Every column type, its edge values and nulls, written by Parquet.Net through <see cref="ParquetRowWriter"/> and read back by DuckDB.</summary>
public sealed class ParquetRowWriterTypesTests(TempDirectory temp) : IClassFixture<TempDirectory>
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
    [InlineData(ExportCompression.None, "UNCOMPRESSED")]
    [InlineData(ExportCompression.Snappy, "SNAPPY")]
    [InlineData(ExportCompression.Gzip, "GZIP")]
    [InlineData(ExportCompression.Zstd, "ZSTD")]
    [InlineData(ExportCompression.Brotli, "BROTLI")]
    public async Task Every_type_and_edge_value_round_trips_with_each_codec(ExportCompression codec, string duckDbCodec)
    {
        var path = temp.File($"all-types-{codec}.parquet");
        await RowWriterRows.WriteAsync(path, AllTypes, AllTypesRows, codec);

        var file = await DuckDbReader.ReadAsync(path);

        TestRows.AssertEqual(AllTypesRows, file);
        Assert.Equal(AllTypesRows.Length, file.NumRows);
        Assert.All(file.ColumnChunks, c => Assert.Equal(duckDbCodec, c.GetProperty("compression").GetString()));
    }

    [Fact]
    public async Task The_schema_carries_physical_and_logical_types_and_repetition()
    {
        var path = temp.File("schema.parquet");
        await RowWriterRows.WriteAsync(path, AllTypes, AllTypesRows, ExportCompression.Gzip);

        var file = await DuckDbReader.ReadAsync(path);

        Assert.Equal(
            [
                ("s_req", "VARCHAR"), ("s_opt", "VARCHAR"), ("i_req", "BIGINT"), ("i_opt", "BIGINT"),
                ("d_req", "DOUBLE"), ("d_opt", "DOUBLE"), ("b_req", "BOOLEAN"), ("b_opt", "BOOLEAN"),
                ("t_req", "TIMESTAMP WITH TIME ZONE"), ("t_opt", "TIMESTAMP WITH TIME ZONE"),
            ],
            file.Columns);
        Assert.Equal("10", file.Schema[0].GetProperty("num_children").GetString());
        AssertSchema(file, "s_req", "BYTE_ARRAY", "REQUIRED");
        AssertSchema(file, "s_opt", "BYTE_ARRAY", "OPTIONAL");
        AssertSchema(file, "i_req", "INT64", "REQUIRED");
        AssertSchema(file, "i_opt", "INT64", "OPTIONAL");
        AssertSchema(file, "d_req", "DOUBLE", "REQUIRED");
        AssertSchema(file, "b_opt", "BOOLEAN", "OPTIONAL");
        AssertSchema(file, "t_req", "INT64", "REQUIRED");
        AssertSchema(file, "t_opt", "INT64", "OPTIONAL");
        Assert.Contains("StringType", file.SchemaOf("s_req").GetProperty("logical_type").GetString());
        Assert.Equal(
            "TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))",
            file.SchemaOf("t_req").GetProperty("logical_type").GetString());
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

        await RowWriterRows.WriteAsync(path, schema, rows, ExportCompression.Zstd);

        TestRows.AssertEqual(rows, await DuckDbReader.ReadAsync(path));
    }

    [Fact]
    public async Task Repeating_strings_are_dictionary_encoded_and_unique_ones_are_not()
    {
        var schema = new ParquetSchema(
            new ParquetColumn("id", ParquetType.String, Nullable: false),
            new ParquetColumn("type", ParquetType.String));
        object?[][] rows = [.. Enumerable.Range(0, 10_000).Select(i => new object?[] { Guid.NewGuid().ToString(), i % 7 == 0 ? null : $"type-{i % 5}" })];
        var path = temp.File("dictionary.parquet");

        await RowWriterRows.WriteAsync(path, schema, rows, ExportCompression.None);
        var file = await DuckDbReader.ReadAsync(path);

        TestRows.AssertEqual(rows, file);
        Assert.Contains("PLAIN_DICTIONARY", Encodings(file, "type")); // data page v1 spells the dictionary encoding this way
        Assert.DoesNotContain("DICTIONARY", Encodings(file, "id"));
    }

    [Fact]
    public async Task A_lone_surrogate_is_written_as_the_replacement_character()
    {
        var schema = new ParquetSchema(new ParquetColumn("text", ParquetType.String));
        var path = temp.File("surrogate.parquet");

        await RowWriterRows.WriteAsync(path, schema, [["a\uD800b"]], ExportCompression.None);

        TestRows.AssertEqual([["a\uFFFDb"]], await DuckDbReader.ReadAsync(path));
    }

    [Fact]
    public async Task Timestamps_are_utc_microseconds_and_sub_microsecond_ticks_are_floored()
    {
        var schema = new ParquetSchema(new ParquetColumn("at", ParquetType.Timestamp, Nullable: false));
        var path = temp.File("timestamps.parquet");
        var local = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(-7));

        await RowWriterRows.WriteAsync(path, schema, [[Epoch.AddTicks(-1)], [Epoch.AddTicks(19)], [local]], ExportCompression.Snappy);

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

        await RowWriterRows.WriteAsync(path, schema, rows, ExportCompression.Gzip);

        TestRows.AssertEqual(rows, await DuckDbReader.ReadAsync(path));
    }

    private static string Encodings(DuckDbFile file, string column) =>
        string.Join(",", file.ChunksOf(column).Select(c => c.GetProperty("encodings").GetString()));

    private static void AssertSchema(DuckDbFile file, string column, string type, string repetition)
    {
        var element = file.SchemaOf(column);
        Assert.Equal(type, element.GetProperty("type").GetString());
        Assert.Equal(repetition, element.GetProperty("repetition_type").GetString());
    }
}
