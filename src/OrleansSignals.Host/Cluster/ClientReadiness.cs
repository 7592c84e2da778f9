using OrleansSignals.Api;

namespace OrleansSignals.Host.Cluster;

/// <summary>Ready once the Orleans client of an API-only host is connected to a gateway of the cluster.</summary>
internal sealed class ClientReadiness : IClusterReadiness, IClusterConnectionStatusObserver
{
    private volatile int _gateways;

    public string? NotReadyReason => _gateways > 0 ? null : "No silo of the cluster can be reached (no gateway in the membership table answers).";

    public void NotifyClusterConnectionLost() => _gateways = 0;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        _gateways = currentNumberOfGateways;
}
