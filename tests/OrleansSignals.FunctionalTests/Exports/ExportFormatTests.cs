using System.Net;
using System.Text.Json;
using OrleansSignals.Exports.Tests.Parquet.Support;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Exports.Support.ExportReadBack;

namespace OrleansSignals.FunctionalTests.Exports;

public sealed class ExportFormatFixture : IAsyncLifetime
{
    public ExportsFactory Factory { get; } = new();
    public ExportsSeed Seed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        Seed = await ExportsSeed.CreateAsync(Factory);
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)Factory).DisposeAsync();
}

/// <summary>Every dataset in every format and compression, read back by an independent reader and compared value by value.</summary>
public sealed class ExportFormatTests(ExportFormatFixture fixture) : IClassFixture<ExportFormatFixture>
{
    private ExportsSeed Seed => fixture.Seed;

    public static TheoryData<string, string, string> Combinations()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var dataset in new[] { "insight-snapshot", "lifecycle-event-history", "events" })
        {
            foreach (var (format, compression) in new[] { ("csv", "none"), ("csv", "gzip"), ("jsonl", "none"), ("jsonl", "gzip"), ("parquet", "none"), ("parquet", "snappy"), ("parquet", "gzip"), ("parquet", "zstd"), ("parquet", "brotli") })
                data.Add(dataset, format, compression);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Export_reads_back_with_every_value_exact(string dataset, string format, string compression)
    {
        var traits = dataset == "insight-snapshot" ? new[] { "plan", "seats" } : null;
        var ranged = dataset != "insight-snapshot";
        var run = await Seed.Client.ExportAsync(new
        {
            dataset, format, compression, traits,
            from = ranged ? Iso(Seed.Start) : null,
            to = ranged ? Iso(Seed.Start.AddHours(3)) : null,
        });
        Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        var file = Assert.Single(run.Files());
        var path = fixture.Factory.LocalFile(Seed.WorkspaceId, file);
        Assert.False(Path.IsPathRooted(file.GetProperty("location").GetString()), "location shows the server's path");
        var extension = format == "parquet" ? ".parquet" : compression == "gzip" ? $".{format}.gz" : $".{format}";
        Assert.EndsWith(extension, path);
        var today = DateTime.UtcNow;
        Assert.Contains($"/exports/{dataset}/year={today:yyyy}/month={today:MM}/day={today:dd}/{dataset}_{run.GetProperty("id").GetString()}_0000{extension}", path);

        var table = await ReadAsync(path, format, new HashSet<string> { "properties" });
        List<string?[]> expected = dataset switch
        {
            "events" => await Seed.ExpectedEventsAsync(fixture.Factory.Database),
            "lifecycle-event-history" => await Seed.ExpectedHistoryAsync(),
            _ => await Seed.ExpectedSnapshotAsync(table.Rows[0][0]!, "plan", "seats"),
        };
        string[] columns = dataset switch
        {
            "events" => ["event_id", "occurred_at", "account_id", "person_id", "event", "received_at", "properties"],
            "lifecycle-event-history" => ["id", "occurred_at", "account_id", "type", "key", "old_value", "new_value", "health_score"],
            _ => ["snapshot_at", "account_id", "insight", "active", "since", "health_score", "trait_plan", "trait_seats"],
        };
        Assert.Equal(columns, table.Columns);
        Assert.True(expected.Count >= 6, $"the seed should give {dataset} several rows, got {expected.Count}");
        Assert.Equal(Sorted(expected), Sorted(table.Rows));
        Assert.Equal(expected.Count, run.GetProperty("rows").GetInt64());
        Assert.Equal(new FileInfo(path).Length, run.GetProperty("bytes").GetInt64());
        if (dataset == "insight-snapshot")
        {
            var snapshotAt = DateTimeOffset.Parse(table.Rows[0][0]!);
            Assert.InRange(snapshotAt, run.GetProperty("created_at").GetDateTimeOffset().AddSeconds(-1), run.GetProperty("completed_at").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task History_export_carries_the_same_transition_ids_as_the_history_api()
    {
        var run = await Seed.Client.ExportAsync(new { dataset = "lifecycle-event-history", format = "jsonl" });
        var table = await ReadAsync(fixture.Factory.LocalFile(Seed.WorkspaceId, run.Files().Single()), "jsonl", new HashSet<string>());
        var api = await Seed.ExpectedHistoryAsync();
        Assert.Equal(api.Select(r => r[0]).Order(), table.Rows.Select(r => r[0]).Order());
        Assert.Contains(table.Rows, r => r[3] == "lifecycle.event" && r[4] == "upgraded" && r[2] == "acme");
    }

    [Fact]
    public async Task Unknown_dataset_format_or_compression_is_a_400_listing_the_allowed_values()
    {
        var response = await Seed.Client.PostAsync("/api/datalake/exports", JsonContent(new { dataset = "nope", format = "xml", compression = "lzo" }));
        var problem = await response.Json(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Contains("events, insight-snapshot, lifecycle-event-history", errors.GetProperty("dataset")[0].GetString());
        Assert.Contains("csv, jsonl, parquet", errors.GetProperty("format")[0].GetString());
        Assert.Contains("none, snappy, gzip, zstd, brotli", errors.GetProperty("compression")[0].GetString());

        var brotliCsv = await (await Seed.Client.PostAsync("/api/datalake/exports", JsonContent(new { dataset = "events", format = "csv", compression = "brotli" }))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("allowed: none, gzip", brotliCsv.GetProperty("errors").GetProperty("compression")[0].GetString());
        var zstdJsonl = await (await Seed.Client.PostAsync("/api/datalake/exports", JsonContent(new { dataset = "events", format = "jsonl", compression = "zstd" }))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("allowed: none, gzip", zstdJsonl.GetProperty("errors").GetProperty("compression")[0].GetString());
        var list = await (await Seed.Client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), r => r.GetProperty("dataset").GetString() == "nope");
    }

    [Theory]
    [InlineData("none", "UNCOMPRESSED")]
    [InlineData("snappy", "SNAPPY")]
    [InlineData("gzip", "GZIP")]
    [InlineData("zstd", "ZSTD")]
    [InlineData("brotli", "BROTLI")]
    public async Task A_parquet_export_of_each_codec_opens_in_duckdb_with_the_documented_schema(string compression, string duckDbCodec)
    {
        // docs/exports.md, "Datasets" and "Formats": names, types, and REQUIRED where a value is always present.
        var datasets = new (string Name, (string Column, string Type, bool Nullable)[] Columns)[]
        {
            ("insight-snapshot",
            [
                ("snapshot_at", "TIMESTAMP WITH TIME ZONE", false), ("account_id", "VARCHAR", false), ("insight", "VARCHAR", false),
                ("active", "BOOLEAN", false), ("since", "TIMESTAMP WITH TIME ZONE", true), ("health_score", "BIGINT", false),
                ("trait_plan", "VARCHAR", true),
            ]),
            ("lifecycle-event-history",
            [
                ("id", "VARCHAR", false), ("occurred_at", "TIMESTAMP WITH TIME ZONE", false), ("account_id", "VARCHAR", false),
                ("type", "VARCHAR", false), ("key", "VARCHAR", true), ("old_value", "VARCHAR", true), ("new_value", "VARCHAR", true),
                ("health_score", "BIGINT", true),
            ]),
            ("events",
            [
                ("event_id", "VARCHAR", false), ("occurred_at", "TIMESTAMP WITH TIME ZONE", false), ("account_id", "VARCHAR", false),
                ("person_id", "VARCHAR", true), ("event", "VARCHAR", false), ("received_at", "TIMESTAMP WITH TIME ZONE", false),
                ("properties", "VARCHAR", true),
            ]),
        };
        foreach (var (dataset, columns) in datasets)
        {
            var ranged = dataset != "insight-snapshot";
            var run = await Seed.Client.ExportAsync(new
            {
                dataset, format = "parquet", compression,
                traits = ranged ? null : new[] { "plan" },
                from = ranged ? Iso(Seed.Start) : null,
                to = ranged ? Iso(Seed.Start.AddHours(3)) : null,
            });
            Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());

            var file = await DuckDbReader.ReadAsync(fixture.Factory.LocalFile(Seed.WorkspaceId, run.Files().Single()));

            // DuckDB adds the year=/month=/day= folders as Hive partition columns after the file's own.
            Assert.Equal(columns.Select(c => (c.Column, c.Type)), file.Columns.Take(columns.Length));
            Assert.All(columns, c => Assert.Equal(c.Nullable ? "OPTIONAL" : "REQUIRED", file.SchemaOf(c.Column).GetProperty("repetition_type").GetString()));
            Assert.Equal(run.GetProperty("rows").GetInt64(), file.NumRows);
            Assert.True(file.NumRows >= 6, $"the seed should give {dataset} several rows, got {file.NumRows}");
            Assert.All(file.ColumnChunks, c => Assert.Equal(duckDbCodec, c.GetProperty("compression").GetString()));
        }
    }

    private static string Iso(DateTimeOffset at) => Infrastructure.Api.Iso(at);

    private static HttpContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body);

    private static List<string> Sorted(IEnumerable<string?[]> rows) =>
        [.. rows.Select(r => JsonSerializer.Serialize(r)).Order(StringComparer.Ordinal)];
}
