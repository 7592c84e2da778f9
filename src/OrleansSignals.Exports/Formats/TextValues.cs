using System.Globalization;
using System.Text.Json;

namespace OrleansSignals.Exports.Formats;

/// <summary>How text formats spell values: the same in CSV and JSON Lines.</summary>
internal static class TextValues
{
    /// <summary>ISO 8601 in UTC with microseconds, the precision Parquet and PostgreSQL keep: <c>2026-11-22T09:00:00.000000Z</c>.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static bool TryFormatTimestamp(DateTime utc, Span<char> destination, out int written) =>
        utc.TryFormat(destination, out written, TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>The text form of a JSON value: a string unquoted, anything else as its JSON text (<c>true</c>, <c>42</c>).</summary>
    public static string JsonText(string json) =>
        json.StartsWith('"') ? JsonSerializer.Deserialize<string>(json)! : json;

    /// <summary>Round-trippable; non-finite values as <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static bool TryFormatDouble(double value, Span<char> destination, out int written) =>
        value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
}
