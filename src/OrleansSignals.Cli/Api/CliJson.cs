using System.Text.Json;

namespace OrleansSignals.Cli.Api;

/// <summary>The API's JSON: snake_case names.</summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
