namespace OrleansSignals.Grains;

/// <summary>One thing wrong with a request: which field (a JSON path such as <c>[3].timestamp</c>) and why.</summary>
public sealed record FieldError(string Field, string Message);
