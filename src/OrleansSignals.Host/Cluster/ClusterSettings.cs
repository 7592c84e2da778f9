using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Host.Cluster;

/// <summary>
/// The Orleans cluster this host joins (section <c>Orleans</c>). The defaults let one host run on one machine; a
/// second host on the same machine needs other ports only.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>Silos and clients with the same cluster id (on the same database) form one cluster. Default <c>signals</c>.</summary>
    [Required]
    public string ClusterId { get; set; } = "signals";

    /// <summary>Stays the same across deployments of one product installation (reminders and grain state are keyed by it). Default <c>orleans-signals</c>.</summary>
    [Required]
    public string ServiceId { get; set; } = "orleans-signals";

    /// <summary>Port silos talk to each other on. Default 11111.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (hosts with role <c>api</c> only) reach this silo on. Default 30000.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at (a pod's IP in Kubernetes). Default 127.0.0.1.</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// How long a silo that stopped answering probes may keep its grains before the others declare it dead and take
    /// them over (Orleans's probe timeout times missed probes). Default 10 seconds; Orleans's own default is about 30.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan FailureDetectionTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An account or workspace grain idle this long is deactivated (its checkpoint written). Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Serve the Orleans dashboard at <c>/dashboard</c> (operator token required). Default true.</summary>
    public bool Dashboard { get; set; } = true;
}
