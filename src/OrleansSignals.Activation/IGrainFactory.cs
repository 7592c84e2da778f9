namespace OrleansSignals.Activation;

/// <summary>Returns references to grains; calling a reference activates the grain when needed.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of that interface and key. Cheap: no activation happens here.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}
