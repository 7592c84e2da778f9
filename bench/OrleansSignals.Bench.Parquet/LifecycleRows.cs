using System.Globalization;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// Rows shaped like lifecycle history. Every column but <c>id</c> is a pure function of the row
/// number, and tests/tools/duckdb-bench.mjs computes the same functions in SQL, so every writer
/// writes the same data; ids are random v4 UUIDs everywhere (same entropy, not the same values).
/// Every text value is a new string, as the export's PostgreSQL reader hands them over.
/// </summary>
internal static class LifecycleRows
{
    /// <summary>The lifecycle-event-history export's own schema, so the benchmark measures what users export.</summary>
    public static readonly ParquetSchema Schema = LifecycleEventHistoryDataset.Columns;

    private static readonly string[] Types = ["signup", "login", "plan_changed", "seat_added", "health_changed", "churn_risk"];
    private static readonly string[] Keys = ["plan", "seats", "owner", "stage", "health"];
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static void Append(IRowWriter writer, long i, Random random)
    {
        Span<byte> uuid = stackalloc byte[16];
        random.NextBytes(uuid);
        uuid[6] = (byte)(uuid[6] & 0x0F | 0x40);
        uuid[8] = (byte)(uuid[8] & 0x3F | 0x80);
        writer.AppendString(0, new Guid(uuid, bigEndian: true).ToString("D"));

        writer.AppendTimestamp(1, Start.AddTicks(i * 37_003 * TimeSpan.TicksPerMicrosecond));
        writer.AppendString(2, Prefixed("acct_", i * 7919 % 50_000));
        writer.AppendString(3, new string(Types[i * 31 % 6]));

        var hasKey = i % 4 != 0;
        if (hasKey)
        {
            writer.AppendString(4, new string(Keys[i / 4 % 5]));
        }
        else
        {
            writer.AppendNull(4);
        }

        if (hasKey && i % 3 != 0)
        {
            writer.AppendString(5, Prefixed("v", i % 977));
        }
        else
        {
            writer.AppendNull(5);
        }

        if (hasKey)
        {
            writer.AppendString(6, Prefixed("v", i * 13 % 977));
        }
        else
        {
            writer.AppendNull(6);
        }

        if (i % 7 == 0)
        {
            writer.AppendNull(7);
        }
        else
        {
            writer.AppendInt64(7, i * 17 % 101);
        }
    }

    private static string Prefixed(string prefix, long number) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{number}");
}
