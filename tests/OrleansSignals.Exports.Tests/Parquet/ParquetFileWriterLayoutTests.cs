using OrleansSignals.Exports.Parquet;
using OrleansSignals.Exports.Tests.Parquet.Support;

namespace OrleansSignals.Exports.Tests.Parquet;

/// <summary>Row groups, pages, empty files and stream handling.</summary>
public sealed class ParquetFileWriterLayoutTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly ParquetSchema Mixed = new(
        new ParquetColumn("id", ParquetType.Int64, Nullable: false),
        new ParquetColumn("name", ParquetType.String),
        new ParquetColumn("score", ParquetType.Double),
        new ParquetColumn("active", ParquetType.Boolean),
        new ParquetColumn("at", ParquetType.Timestamp));

    [Theory]
    [InlineData(ParquetCompression.None)]
    [InlineData(ParquetCompression.Gzip)]
    [InlineData(ParquetCompression.Brotli)]
    [InlineData(ParquetCompression.Snappy)]
    [InlineData(ParquetCompression.Zstd)]
    public async Task Many_row_groups_of_many_pages_round_trip(ParquetCompression codec)
    {
        var rows = RandomRows(25_500, seed: (int)codec);
        var options = new ParquetWriterOptions { Compression = codec, RowGroupRows = 5_000, PageSize = 4 * 1024 };
        var path = temp.File($"groups-{codec}.parquet");

        await TestRows.WriteAsync(path, Mixed, rows, options);
        var file = await DuckDbReader.ReadAsync(path);

        TestRows.AssertEqual(rows, file);
        Assert.Equal(6, file.NumRowGroups);
        var idChunks = file.ChunksOf("id").ToArray();
        Assert.Equal([5_000, 5_000, 5_000, 5_000, 5_000, 500], idChunks.Select(c => long.Parse(c.GetProperty("row_group_num_rows").GetString()!)));
        // 5,000 int64 values are 40,000 bytes: a 4 KiB page limit means at least 9 pages per chunk.
        Assert.True(long.Parse(idChunks[0].GetProperty("total_uncompressed_size").GetString()!) > 9 * options.PageSize);
    }

    [Fact]
    public async Task A_file_without_rows_has_the_schema_and_no_row_groups()
    {
        var path = temp.File("empty.parquet");

        await TestRows.WriteAsync(path, Mixed, []);
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
        var options = new ParquetWriterOptions
        {
            Compression = ParquetCompression.None,
            RowGroupBytes = ParquetWriterDefaults.MinRowGroupBytes,
        };
        var path = temp.File("byte-limit.parquet");

        await TestRows.WriteAsync(path, schema, rows, options);
        var file = await DuckDbReader.ReadAsync(path);

        TestRows.AssertEqual(rows, file);
        Assert.InRange(file.NumRowGroups, 15, 17); // ~1 MB of text in 64 KiB row groups
    }

    [Fact]
    public async Task A_non_seekable_stream_and_the_synchronous_api_produce_a_valid_file()
    {
        var rows = RandomRows(3_000, seed: 7);
        var path = temp.File("non-seekable.parquet");
        using (var stream = new NonSeekableStream(File.Create(path)))
        using (var writer = new ParquetFileWriter(stream, Mixed, new ParquetWriterOptions { RowGroupRows = 1_000 }))
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    TestRows.Append(writer, i, row[i]);
                }

                writer.EndRow();
            }

            writer.Complete();
            Assert.Equal(new FileInfo(path).Length, writer.BytesWritten);
        }

        var file = await DuckDbReader.ReadAsync(path);
        TestRows.AssertEqual(rows, file);
        Assert.Equal(3, file.NumRowGroups);
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
