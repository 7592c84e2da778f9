using OrleansSignals.Api;

namespace OrleansSignals.Host.Cluster;

/// <summary>Ready once this silo has joined the cluster (its membership row says Active).</summary>
internal sealed class SiloReadiness(ISiloStatusOracle silo) : IClusterReadiness
{
    public string? NotReadyReason => silo.CurrentStatus == SiloStatus.Active ? null : $"This silo has not joined the cluster yet (status {silo.CurrentStatus}).";
}
