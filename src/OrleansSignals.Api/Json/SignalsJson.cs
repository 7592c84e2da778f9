using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSignals.Api.Json;

/// <summary>
/// The wire's JSON conventions: snake_case names, lower-case enums, UTC timestamps, nulls left out, and numbers
/// as JSON numbers (the web defaults also read "7" as 7; a number sent as a string is refused by field name).
/// </summary>
public static class SignalsJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new Storage.UtcDateTimeOffsetConverter());
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
