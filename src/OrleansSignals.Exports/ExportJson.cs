using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSignals.Exports;

/// <summary>JSON as exports store and write it (jsonb columns, manifests): snake_case, nulls left out, UTC timestamps.</summary>
public static class ExportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        Converters = { new Storage.UtcDateTimeOffsetConverter() },
    };
}
