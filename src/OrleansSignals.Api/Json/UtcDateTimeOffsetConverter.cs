using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSignals.Api.Json;

/// <summary>Writes every timestamp as ISO 8601 in UTC with a 'Z' and at most microseconds (the wire contract, see <see cref="OrleansSignals.Grains.Accounts.Iso"/>); reads any ISO 8601 with an offset.</summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[40];
        value.UtcDateTime.TryFormat(buffer, out var written, OrleansSignals.Grains.Accounts.Iso.Pattern, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
