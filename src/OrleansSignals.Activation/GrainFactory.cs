using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansSignals.Activation;

internal sealed class GrainFactory(GrainCatalog catalog) : IGrainFactory
{
    private static readonly ConcurrentDictionary<Type, MethodInfo> CreateMethods = new();

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var proxy = DispatchProxy.Create<TGrainInterface, GrainProxy>();
        var grainProxy = (GrainProxy)(object)proxy;
        grainProxy.Catalog = catalog;
        grainProxy.InterfaceType = typeof(TGrainInterface);
        grainProxy.Key = key;
        return proxy;
    }
}
