using System.Globalization;
using System.Text.Json;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Tests.Parquet.Support;

/// <summary>
/// Writes rows of plain CLR values (string, long, double, bool, DateTimeOffset, null) and checks
/// DuckDB's reading of them value by value.
/// </summary>
internal static class TestRows
{
    public static async Task WriteAsync(
        string path, ParquetSchema schema, IEnumerable<object?[]> rows, ParquetWriterOptions? options = null)
    {
        await using var writer = new ParquetFileWriter(File.Create(path), schema, options);
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                Append(writer, i, row[i]);
            }

            await writer.EndRowAsync();
        }

        await writer.CompleteAsync();
    }

    public static void Append(ParquetFileWriter writer, int column, object? value)
    {
        switch (value)
        {
            case null: writer.AppendNull(column); break;
            case string s: writer.AppendString(column, s); break;
            case long l: writer.AppendInt64(column, l); break;
            case double d: writer.AppendDouble(column, d); break;
            case bool b: writer.AppendBoolean(column, b); break;
            case DateTimeOffset t: writer.AppendTimestamp(column, t); break;
            default: throw new ArgumentException($"No Parquet type for {value.GetType()}.", nameof(value));
        }
    }

    /// <summary>Asserts DuckDB read exactly <paramref name="expected"/>, in order.</summary>
    public static void AssertEqual(IReadOnlyList<object?[]> expected, DuckDbFile actual)
    {
        var rows = actual.Rows;
        Assert.Equal(expected.Count, rows.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Length, rows[r].Length);
            for (var c = 0; c < expected[r].Length; c++)
            {
                if (!Matches(expected[r][c], rows[r][c]))
                {
                    Assert.Fail($"Row {r}, column {actual.Columns[c].Name}: wrote {Describe(expected[r][c])}, DuckDB read {rows[r][c].GetRawText()}.");
                }
            }
        }
    }

    /// <summary>The ISO-8601 form the reader script prints timestamps in.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static bool Matches(object? expected, JsonElement actual) => expected switch
    {
        null => actual.ValueKind == JsonValueKind.Null,
        string s => actual.ValueKind == JsonValueKind.String && actual.GetString() == s,
        long l => actual.ValueKind == JsonValueKind.String && actual.GetString() == l.ToString(CultureInfo.InvariantCulture),
        bool b => actual.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
        DateTimeOffset t => actual.ValueKind == JsonValueKind.String && actual.GetString() == Iso(t),
        double d => MatchesDouble(d, actual),
        _ => false,
    };

    private static bool MatchesDouble(double expected, JsonElement actual)
    {
        if (actual.ValueKind == JsonValueKind.String)
        {
            return actual.GetString() switch
            {
                "NaN" => double.IsNaN(expected),
                "Infinity" => double.IsPositiveInfinity(expected),
                "-Infinity" => double.IsNegativeInfinity(expected),
                "-0" => expected == 0 && double.IsNegative(expected),
                _ => false,
            };
        }

        return actual.ValueKind == JsonValueKind.Number
            && BitConverter.DoubleToInt64Bits(actual.GetDouble()) == BitConverter.DoubleToInt64Bits(expected);
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        DateTimeOffset t => Iso(t),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => $"{value} ({value.GetType().Name})",
    };
}
