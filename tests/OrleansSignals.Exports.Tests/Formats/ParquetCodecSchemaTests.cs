using Npgsql;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;
using OrleansSignals.Exports.Tests.Parquet.Support;

namespace OrleansSignals.Exports.Tests.Formats;

/// <summary>
/// A file of each export dataset, written with each codec, opens in DuckDB with the dataset's schema:
/// column names and types, REQUIRED or OPTIONAL as the column is nullable, the row count and the codec.
/// </summary>
public sealed class ParquetCodecSchemaTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private const int Rows = 2_500;

    // Schema() reads no data, so the data source never connects.
    private static readonly NpgsqlDataSource NoDatabase = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");

    private static readonly ExportScope Scope = new("ws", null, null, DateTimeOffset.UnixEpoch, ["plan", "seats"]);

    public static TheoryData<string, ExportCompression> Combinations()
    {
        var data = new TheoryData<string, ExportCompression>();
        foreach (var dataset in new[] { "lifecycle-event-history", "events", "insight-snapshot" })
        {
            foreach (var codec in Enum.GetValues<ExportCompression>())
            {
                data.Add(dataset, codec);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task A_file_of_each_codec_opens_in_duckdb_with_the_dataset_schema(string dataset, ExportCompression codec)
    {
        var schema = Dataset(dataset).Schema(Scope);
        var rows = SampleRows(schema);
        var path = temp.File($"{dataset}-{codec}.parquet");

        await RowWriterRows.WriteAsync(path, schema, rows, codec, new ParquetWriterOptions { RowGroupRows = 1_000 });
        var file = await DuckDbReader.ReadAsync(path);

        Assert.Equal(schema.Columns.Select(c => (c.Name, DuckDbType(c.Type))), file.Columns);
        foreach (var column in schema.Columns)
        {
            Assert.Equal(column.Nullable ? "OPTIONAL" : "REQUIRED", file.SchemaOf(column.Name).GetProperty("repetition_type").GetString());
        }

        Assert.Equal(Rows, file.NumRows);
        Assert.Equal(3, file.NumRowGroups);
        var expectedCodec = codec == ExportCompression.None ? "UNCOMPRESSED" : codec.Name().ToUpperInvariant();
        Assert.All(file.ColumnChunks, c => Assert.Equal(expectedCodec, c.GetProperty("compression").GetString()));
        TestRows.AssertEqual(rows, file);
    }

    private static IExportDataset Dataset(string name) => name switch
    {
        "lifecycle-event-history" => new LifecycleEventHistoryDataset(NoDatabase),
        "events" => new EventsDataset(NoDatabase),
        _ => new InsightSnapshotDataset(NoDatabase),
    };

    private static string DuckDbType(ParquetType type) => type switch
    {
        ParquetType.String => "VARCHAR",
        ParquetType.Int64 => "BIGINT",
        ParquetType.Double => "DOUBLE",
        ParquetType.Boolean => "BOOLEAN",
        _ => "TIMESTAMP WITH TIME ZONE",
    };

    /// <summary>Values of each column's type; every seventh value of a nullable column is null.</summary>
    private static object?[][] SampleRows(ParquetSchema schema)
    {
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        return
        [
            .. Enumerable.Range(0, Rows).Select(i => schema.Columns.Select((c, j) => c.Nullable && (i + j) % 7 == 0 ? null : c.Type switch
            {
                ParquetType.String => (object)$"{c.Name}-{i % 40}",
                ParquetType.Int64 => (long)(i * 31 % 101),
                ParquetType.Double => i / 8.0,
                ParquetType.Boolean => i % 3 == 0,
                _ => start.AddTicks(i * 12_345_670L),
            }).ToArray()),
        ];
    }
}
