using System.Text.Json.Serialization;

namespace OrleansSignals.Cli.Api;

/// <summary>Body of <c>POST /api/datalake/exports</c>; null members are left out so the API applies its defaults.</summary>
public sealed record NewExport(
    string Dataset,
    string Format,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Compression,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? To);
