using OrleansSignals.Exports.Parquet;
using OrleansSignals.Exports.Tests.Parquet.Support;

namespace OrleansSignals.Exports.Tests.Parquet;

/// <summary>Column chunk statistics as DuckDB reads them from the footer.</summary>
public sealed class ParquetFileWriterStatisticsTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Chunks_record_min_max_and_null_count_per_row_group()
    {
        var schema = new ParquetSchema(
            new ParquetColumn("n", ParquetType.Int64),
            new ParquetColumn("x", ParquetType.Double),
            new ParquetColumn("at", ParquetType.Timestamp),
            new ParquetColumn("s", ParquetType.String));
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        object?[][] rows =
        [
            [5L, 2.5, t0, "b"],
            [-3L, double.NaN, null, null],
            [null, -0.0, t0.AddDays(2), "a"],
            [10L, null, t0.AddSeconds(-1), "c"],
            // Second row group: only nulls and NaN, so no min/max can be given.
            [null, double.NaN, null, null],
        ];
        var path = temp.File("stats.parquet");

        await TestRows.WriteAsync(path, schema, rows, new ParquetWriterOptions { RowGroupRows = 4 });
        var file = await DuckDbReader.ReadAsync(path);

        var n = file.ChunksOf("n").ToArray();
        AssertStats(n[0], "-3", "10", "1");
        AssertStats(n[1], null, null, "1");
        var x = file.ChunksOf("x").ToArray();
        AssertStats(x[0], "-0.0", "2.5", "1");
        AssertStats(x[1], null, null, "0");
        AssertStats(file.ChunksOf("at").First(), "2023-12-31 23:59:59+00", "2024-01-03 00:00:00+00", "1");
        AssertStats(file.ChunksOf("s").First(), null, null, "1");
        TestRows.AssertEqual(rows, file);
    }

    [Fact]
    public async Task Min_max_can_be_switched_off_while_null_counts_stay()
    {
        var schema = new ParquetSchema(new ParquetColumn("n", ParquetType.Int64));
        var path = temp.File("no-stats.parquet");

        await TestRows.WriteAsync(path, schema, [[1L], [null]], new ParquetWriterOptions { WriteStatistics = false });

        AssertStats((await DuckDbReader.ReadAsync(path)).ChunksOf("n").Single(), null, null, "1");
    }

    private static void AssertStats(System.Text.Json.JsonElement chunk, string? min, string? max, string nullCount)
    {
        Assert.Equal(min, chunk.GetProperty("stats_min_value").GetString());
        Assert.Equal(max, chunk.GetProperty("stats_max_value").GetString());
        Assert.Equal(nullCount, chunk.GetProperty("stats_null_count").GetString());
    }
}
