using System.Runtime.CompilerServices;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// References to account grains, one per request and account on the hot paths (ingest, reads). Orleans 10.4.2's
/// <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's Orleans type on every call by reading its attributes
/// through reflection and formatting its name (later Orleans versions cache it): 1.9% of the bytes a GET allocated,
/// and CPU on every event. Here the first reference is made the usual way and tells the grain type and interface
/// type; later ones are built straight from their grain id.
/// </summary>
public static class AccountGrains
{
    /// <summary>The account grain's Orleans type name (<c>[GrainType]</c> on the grain class).</summary>
    public const string GrainTypeName = "account";

    private static readonly GrainType Type = GrainType.Create(GrainTypeName);
    // Boxed, so that a reader sees either nothing or the whole value (a struct field could be read half-written).
    private static StrongBox<GrainInterfaceType>? _interface;

    public static IAccountGrain GetAccountGrain(this IGrainFactory grains, string workspaceId, string accountId) =>
        grains.GetAccountGrain(AccountKey.For(workspaceId, accountId));

    /// <param name="key">An <see cref="AccountKey"/>.</param>
    public static IAccountGrain GetAccountGrain(this IGrainFactory grains, string key)
    {
        if (Volatile.Read(ref _interface) is { } known) return (IAccountGrain)grains.GetGrain(GrainId.Create(Type, key), known.Value);
        var reference = grains.GetGrain<IAccountGrain>(key);
        // Remembered only when Orleans resolved the type we declare (a client that has not read the cluster's
        // manifest yet may get a placeholder type): from then on every reference is the one Orleans would make.
        if (reference is GrainReference made && made.GrainId.Type.Equals(Type)) Volatile.Write(ref _interface, new(made.InterfaceType));
        return reference;
    }
}
