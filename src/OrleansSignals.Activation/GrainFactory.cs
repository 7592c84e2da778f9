using System.Reflection;

namespace OrleansSignals.Activation;

internal sealed class GrainFactory(GrainCatalog catalog) : IGrainFactory
{
    /// <remarks>
    /// Making a <see cref="DispatchProxy"/> goes through reflection's constructor binder (several
    /// allocations and most of a microsecond), and ingestion asks for a reference per account per
    /// request: a reference to a live activation is therefore reused. References to keys without an
    /// activation are not kept, so asking for many keys holds no memory.
    /// </remarks>
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (catalog.ReferenceOf(typeof(TGrainInterface), key) is TGrainInterface known) return known;
        var proxy = DispatchProxy.Create<TGrainInterface, GrainProxy>();
        var grainProxy = (GrainProxy)(object)proxy;
        grainProxy.Catalog = catalog;
        grainProxy.InterfaceType = typeof(TGrainInterface);
        grainProxy.Key = key;
        catalog.KeepReference(typeof(TGrainInterface), key, proxy);
        return proxy;
    }
}
