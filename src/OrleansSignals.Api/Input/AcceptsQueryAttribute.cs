namespace OrleansSignals.Api.Input;

/// <summary>
/// Query parameters a handler reads itself (from <c>Request.Query</c>) rather than through its parameters, so that
/// <see cref="StrictQuery"/> accepts them. A name ending in <c>.*</c> accepts every parameter with that prefix
/// (<c>trait.*</c> for <c>trait.plan=pro</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsQueryAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
