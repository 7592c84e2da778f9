using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Tests.Support;

namespace OrleansSignals.Exports.Tests.Formats;

/// <summary>Row groups, empty files, stream handling and misuse of <see cref="ParquetRowWriter"/>.</summary>
public sealed class ParquetRowWriterLayoutTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly ParquetSchema Mixed = new(
        new ParquetColumn("id", ParquetType.Int64, Nullable: false),
        new ParquetColumn("name", ParquetType.String),
        new ParquetColumn("score", ParquetType.Double),
        new ParquetColumn("active", ParquetType.Boolean),
        new ParquetColumn("at", ParquetType.Timestamp));

    [Theory]
    [InlineData(ExportCompression.None)]
    [InlineData(ExportCompression.Snappy)]
    [InlineData(ExportCompression.Gzip)]
    [InlineData(ExportCompression.Zstd)]
    [InlineData(ExportCompression.Brotli)]
    public async Task Many_row_groups_round_trip(ExportCompression codec)
    {
        var rows = RandomRows(25_500, seed: (int)codec);
        var path = temp.File($"groups-{codec}.parquet");

        await RowWriterRows.WriteAsync(path, Mixed, rows, codec, new ParquetFileOptions { RowGroupRows = 5_000 });
        var file = await DuckDbReader.ReadAsync(path);

        TestRows.AssertEqual(rows, file);
        Assert.Equal(6, file.NumRowGroups);
        Assert.Equal([5_000, 5_000, 5_000, 5_000, 5_000, 500],
            file.ChunksOf("id").Select(c => long.Parse(c.GetProperty("row_group_num_rows").GetString()!)));
    }

    [Fact]
    public async Task A_file_without_rows_has_the_schema_and_no_row_groups()
    {
        var path = temp.File("empty.parquet");

        await RowWriterRows.WriteAsync(path, Mixed, [], ExportCompression.Gzip);
        var file = await DuckDbReader.ReadAsync(path);

        Assert.Equal(0, file.NumRows);
        Assert.Equal(0, file.NumRowGroups);
        Assert.Empty(file.Rows);
        Assert.Equal(["id", "name", "score", "active", "at"], file.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task The_byte_limit_cuts_row_groups_before_the_row_limit()
    {
        var schema = new ParquetSchema(new ParquetColumn("blob", ParquetType.String, Nullable: false));
        object?[][] rows = [.. Enumerable.Range(0, 1_000).Select(i => new object?[] { $"{i:D6}" + new string((char)('a' + i % 26), 1_000) })];
        var path = temp.File("byte-limit.parquet");

        // 1,006 characters are 2,012 bytes buffered: a 64 KiB limit closes a row group every 33 rows.
        await RowWriterRows.WriteAsync(path, schema, rows, ExportCompression.None, new ParquetFileOptions { RowGroupBytes = 64 * 1024 });
        var file = await DuckDbReader.ReadAsync(path);

        TestRows.AssertEqual(rows, file);
        Assert.Equal(31, file.NumRowGroups);
    }

    [Fact]
    public async Task A_non_seekable_stream_gets_a_valid_file_and_stays_open()
    {
        var rows = RandomRows(3_000, seed: 7);
        var path = temp.File("non-seekable.parquet");
        await using (var inner = File.Create(path))
        {
            await RowWriterRows.WriteAsync(new NonSeekableStream(inner), Mixed, rows, ExportCompression.Zstd, new ParquetFileOptions { RowGroupRows = 1_000 });
            Assert.True(inner.CanWrite, "the writer must leave the stream open: the export's upload owns it");
        }

        var file = await DuckDbReader.ReadAsync(path);
        TestRows.AssertEqual(rows, file);
        Assert.Equal(3, file.NumRowGroups);
    }

    [Fact]
    public async Task A_row_without_a_value_for_a_column_names_the_column()
    {
        await using var writer = new ParquetRowWriter(Stream.Null, Mixed, ExportCompression.None);
        writer.AppendInt64(0, 1);
        writer.AppendString(1, "a");
        writer.AppendDouble(2, 1.5);
        writer.AppendBoolean(3, true);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.EndRowAsync(CancellationToken.None).AsTask());

        Assert.Contains("'at'", error.Message);
    }

    [Fact]
    public async Task A_null_in_a_required_column_or_a_value_of_the_wrong_type_names_the_column()
    {
        await using var writer = new ParquetRowWriter(Stream.Null, Mixed, ExportCompression.None);

        Assert.Contains("'id'", Assert.Throws<InvalidOperationException>(() => writer.AppendNull(0)).Message);
        Assert.Contains("'name'", Assert.Throws<InvalidOperationException>(() => writer.AppendInt64(1, 5)).Message);
        Assert.Contains("'at'", Assert.Throws<InvalidOperationException>(() => writer.AppendString(4, "2024-01-01")).Message);
    }

    private static object?[][] RandomRows(int count, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return
        [
            .. Enumerable.Range(0, count).Select(i => new object?[]
            {
                (long)i * 1_000_003 - 7_000_000_000,
                random.Next(10) == 0 ? null : $"name-{random.Next(100_000)}-{(char)('α' + random.Next(20))}",
                random.Next(10) == 0 ? null : Math.Round(random.NextDouble() * 1000, 3),
                random.Next(3) == 0 ? null : random.Next(2) == 0,
                random.Next(10) == 0 ? null : start.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 3650) / 10 * 10),
            }),
        ];
    }
}
