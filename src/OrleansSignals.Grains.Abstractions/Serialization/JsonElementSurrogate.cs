using System.Text.Json;

namespace OrleansSignals.Grains.Serialization;

/// <summary>
/// How a <see cref="JsonElement"/> (trait values) crosses between silos and clients: Orleans has no codec
/// or copier for it, so it travels as its JSON text.
/// </summary>
[GenerateSerializer, Immutable]
public readonly struct JsonElementSurrogate(string json)
{
    [Id(0)] public string Json { get; } = json;
}

[RegisterConverter]
public sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate) =>
        JsonDocument.Parse(surrogate.Json ?? "null").RootElement.Clone();

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) =>
        new(value.ValueKind == JsonValueKind.Undefined ? "null" : value.GetRawText());
}
