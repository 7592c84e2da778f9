using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSignals.Storage;

/// <summary>
/// Writes every timestamp as ISO 8601 in UTC with a 'Z' and at most microseconds, PostgreSQL's precision (trailing
/// zeros dropped); reads any ISO 8601 with an offset. The API, export manifests and webhook envelopes all write
/// the same instant the same way.
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The format: UTC, 'Z', at most six fractional digits.</summary>
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'";

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[40];
        value.UtcDateTime.TryFormat(buffer, out var written, Pattern, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
