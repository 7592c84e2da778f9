namespace OrleansSignals.Activation;

/// <summary>Marker for grain interfaces, as in Orleans.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key (Orleans: <c>IGrainWithStringKey</c>).</summary>
public interface IGrainWithStringKey : IGrain;
