namespace OrleansSignals.Cli.Api;

/// <summary>An RFC 7807 problem details body; <c>errors</c> (validation problems) maps each field to its messages.</summary>
public sealed record ApiProblem(
    string? Title,
    string? Detail,
    int? Status,
    IReadOnlyDictionary<string, string[]>? Errors);
