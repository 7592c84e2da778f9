namespace OrleansSignals.Activation;

/// <summary>Which grain class serves a grain interface.</summary>
public sealed record GrainRegistration(Type Interface, Type Implementation);
