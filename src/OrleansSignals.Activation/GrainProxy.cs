using System.Reflection;

namespace OrleansSignals.Activation;

/// <summary>
/// The grain reference handed out by <see cref="GrainFactory"/>: every interface call becomes a
/// call through the <see cref="GrainCatalog"/>, which finds or creates the activation and runs the turn.
/// </summary>
public class GrainProxy : DispatchProxy
{
    internal GrainCatalog Catalog = null!;
    internal Type InterfaceType = null!;
    internal string Key = null!;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return Catalog.Invoke(InterfaceType, Key, targetMethod, args ?? []);
    }
}
