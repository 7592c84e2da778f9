using System.ComponentModel.DataAnnotations;
using OrleansSignals.Exports.Parquet;
using OrleansSignals.Exports.Tests.Parquet.Support;

namespace OrleansSignals.Exports.Tests.Parquet;

/// <summary>Misuse is reported at the call that makes it, and disposal never writes a broken row.</summary>
public sealed class ParquetFileWriterUsageTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly ParquetSchema Schema = new(
        new ParquetColumn("id", ParquetType.Int64, Nullable: false),
        new ParquetColumn("name", ParquetType.String));

    [Fact]
    public void Ending_a_row_with_a_column_missing_names_the_column()
    {
        using var writer = new ParquetFileWriter(new MemoryStream(), Schema);
        writer.AppendInt64(0, 1);

        var error = Assert.Throws<InvalidOperationException>(writer.EndRow);
        Assert.Contains("'name'", error.Message);
    }

    [Fact]
    public void A_second_value_for_a_column_in_one_row_is_rejected()
    {
        using var writer = new ParquetFileWriter(new MemoryStream(), Schema);
        writer.AppendString(1, "a");

        Assert.Throws<InvalidOperationException>(() => writer.AppendString(1, "b"));
    }

    [Fact]
    public void Nulls_wrong_types_and_unknown_columns_are_rejected()
    {
        using var writer = new ParquetFileWriter(new MemoryStream(), Schema);

        Assert.Throws<InvalidOperationException>(() => writer.AppendInt64(0, null));
        Assert.Throws<InvalidOperationException>(() => writer.AppendString(0, "not a number"));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.AppendNull(2));
        Assert.Equal(1, Schema.IndexOf("name"));
    }

    [Fact]
    public void Invalid_options_and_schemas_fail_at_construction()
    {
        Assert.Throws<ValidationException>(() => new ParquetFileWriter(new MemoryStream(), Schema, new ParquetWriterOptions { PageSize = 10 }));
        Assert.Throws<ValidationException>(() => new ParquetFileWriter(new MemoryStream(), Schema, new ParquetWriterOptions { Compression = (ParquetCompression)9 }));
        Assert.Throws<ArgumentException>(() => new ParquetSchema(new ParquetColumn("a", ParquetType.Int64), new ParquetColumn("a", ParquetType.String)));
        Assert.Throws<ArgumentException>(() => new ParquetSchema());
    }

    [Fact]
    public async Task Disposing_without_completing_writes_the_footer()
    {
        var path = temp.File("disposed.parquet");
        await using (var writer = new ParquetFileWriter(File.Create(path), Schema))
        {
            writer.AppendInt64(0, 1);
            writer.AppendString(1, "one");
            await writer.EndRowAsync();
        }

        TestRows.AssertEqual([[1L, "one"]], await DuckDbReader.ReadAsync(path));
    }

    [Fact]
    public async Task Disposing_with_a_half_appended_row_leaves_no_footer()
    {
        var path = temp.File("half-row.parquet");
        await using (var writer = new ParquetFileWriter(File.Create(path), Schema))
        {
            writer.AppendInt64(0, 1);
            writer.AppendString(1, "one");
            await writer.EndRowAsync();
            writer.AppendInt64(0, 2);
            Assert.Throws<InvalidOperationException>(writer.Complete);
        }

        await Assert.ThrowsAsync<DuckDbReadException>(() => DuckDbReader.ReadAsync(path));
    }

    [Fact]
    public async Task A_completed_writer_takes_no_more_rows_and_leaves_the_stream_open_when_asked()
    {
        var stream = new MemoryStream();
        var writer = new ParquetFileWriter(stream, Schema, leaveOpen: true);
        writer.AppendInt64(0, 1);
        writer.AppendNull(1);
        writer.EndRow();
        await writer.CompleteAsync();

        Assert.Throws<InvalidOperationException>(() => writer.AppendInt64(0, 2));
        await writer.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => writer.AppendInt64(0, 2));
        Assert.True(stream.CanWrite);
        Assert.Equal("PAR1"u8.ToArray(), stream.ToArray()[^4..]);
        Assert.Equal(1, writer.RowCount);
        Assert.Equal(1, writer.RowGroupCount);
    }
}
