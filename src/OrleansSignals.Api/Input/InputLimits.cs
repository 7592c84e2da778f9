namespace OrleansSignals.Api.Input;

/// <summary>
/// The bounds every request body is read within (docs/api-limits.md). A field may set a tighter bound with
/// <c>[MaxLength]</c>; these apply wherever it does not, so no string or list a client sends is unbounded.
/// </summary>
public static class InputLimits
{
    /// <summary>A JSON body other than an event batch (which may be 5 MB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Nesting of objects and arrays; an event's <c>properties</c> or a trait value counts within it.</summary>
    public const int MaxDepth = 32;

    /// <summary>A string field without its own <c>[MaxLength]</c>.</summary>
    public const int MaxStringLength = 2_000;

    /// <summary>A list or map field without its own <c>[MaxLength]</c>.</summary>
    public const int MaxItems = 1_000;

    /// <summary>A key of a map (a header name, a trait name).</summary>
    public const int MaxKeyLength = 200;
}
