using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Activation;

/// <summary>Activation layer settings (section <c>Signals:Activation</c>).</summary>
public sealed class ActivationOptions
{
    /// <summary>An activation unused this long is dropped. Default 15 minutes (Orleans's default collection age is 15 minutes too).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);
}
