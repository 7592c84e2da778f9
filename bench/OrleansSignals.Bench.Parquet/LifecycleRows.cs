using System.Globalization;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// Rows shaped like lifecycle history. Every column but <c>id</c> is a pure function of the row
/// number, and tests/tools/duckdb-bench.mjs computes the same functions in SQL, so both writers
/// write the same data; ids are random v4 UUIDs on both sides (same entropy, not the same values).
/// Values are formatted into stack buffers, so generating a row allocates nothing.
/// </summary>
internal static class LifecycleRows
{
    /// <summary>The lifecycle-event-history export's own schema, so the benchmark measures what users export.</summary>
    public static readonly ParquetSchema Schema = LifecycleEventHistoryDataset.Columns;

    private static readonly string[] Types = ["signup", "login", "plan_changed", "seat_added", "health_changed", "churn_risk"];
    private static readonly string[] Keys = ["plan", "seats", "owner", "stage", "health"];
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Append(ParquetFileWriter writer, long i, Random random)
    {
        Span<byte> uuid = stackalloc byte[16];
        random.NextBytes(uuid);
        uuid[6] = (byte)(uuid[6] & 0x0F | 0x40);
        uuid[8] = (byte)(uuid[8] & 0x3F | 0x80);
        Span<char> text = stackalloc char[40];
        new Guid(uuid, bigEndian: true).TryFormat(text, out var written, "D");
        writer.AppendString(0, text[..written]);

        writer.AppendTimestamp(1, Start.AddTicks(i * 37_003 * TimeSpan.TicksPerMicrosecond));
        writer.AppendString(2, Prefixed("acct_", i * 7919 % 50_000, text));
        writer.AppendString(3, Types[i * 31 % 6]);

        var hasKey = i % 4 != 0;
        writer.AppendString(4, hasKey ? Keys[i / 4 % 5] : null);
        if (hasKey && i % 3 != 0)
        {
            writer.AppendString(5, Prefixed("v", i % 977, text));
        }
        else
        {
            writer.AppendNull(5);
        }

        if (hasKey)
        {
            writer.AppendString(6, Prefixed("v", i * 13 % 977, text));
        }
        else
        {
            writer.AppendNull(6);
        }

        writer.AppendInt64(7, i % 7 == 0 ? null : i * 17 % 101);
    }

    private static ReadOnlySpan<char> Prefixed(string prefix, long number, Span<char> buffer)
    {
        prefix.CopyTo(buffer);
        number.TryFormat(buffer[prefix.Length..], out var written, provider: CultureInfo.InvariantCulture);
        return buffer[..(prefix.Length + written)];
    }
}
