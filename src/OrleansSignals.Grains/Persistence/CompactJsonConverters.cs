using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Hourly counts as one flat array <c>[hour, count, hour, count, ...]</c> instead of an object per hour:
/// the state is rewritten on every turn, and these lists are most of its bytes.
/// </summary>
internal sealed class HourCountsConverter : JsonConverter<List<HourCount>>
{
    public override List<HourCount> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Expected an array of hour, count pairs.");
        var hours = new List<HourCount>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var hour = reader.GetInt64();
            reader.Read();
            hours.Add(new HourCount(hour, reader.GetInt32()));
        }
        return hours;
    }

    public override void Write(Utf8JsonWriter writer, List<HourCount> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var h in value)
        {
            writer.WriteNumberValue(h.Hour);
            writer.WriteNumberValue(h.Count);
        }
        writer.WriteEndArray();
    }
}

/// <summary>A metric point as <c>[unix milliseconds, value]</c>.</summary>
internal sealed class MetricPointConverter : JsonConverter<MetricPoint>
{
    public override MetricPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Expected [unix milliseconds, value].");
        reader.Read();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());
        reader.Read();
        var value = reader.GetDouble();
        reader.Read();
        return new MetricPoint(at, value);
    }

    public override void Write(Utf8JsonWriter writer, MetricPoint value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.At.ToUnixTimeMilliseconds());
        writer.WriteNumberValue(value.Value);
        writer.WriteEndArray();
    }
}
