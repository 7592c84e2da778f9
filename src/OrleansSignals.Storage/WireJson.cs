using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSignals.Storage;

/// <summary>
/// The product's one set of JSON conventions, for the API, webhook payloads, export manifests and the JSON columns that
/// store what the wire carries: snake_case names, lower-case enums, UTC timestamps at microseconds, nulls left out, and
/// numbers as JSON numbers (a number sent as a string is refused by field name).
/// </summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>Applies the conventions to options the framework made (ASP.NET Core's HTTP JSON options).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new UtcDateTimeOffsetConverter());
    }

    /// <summary>Null stays null (a nullable JSON column).</summary>
    public static string? Serialize<T>(T? value) where T : class => value is null ? null : JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
