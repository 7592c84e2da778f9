using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Signals.Attio;

/// <summary>How this host talks to Attio (section <c>Signals:Attio</c>); the API key is each workspace's (PUT /api/integrations/attio).</summary>
public sealed class AttioOptions
{
    /// <summary>Attio's REST API. Default https://api.attio.com.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.attio.com");

    /// <summary>Requests per <see cref="RateWindow"/> per API key, counted over any window of that length. Default 150 per minute.</summary>
    [Range(1, 100_000)]
    public int RateLimit { get; set; } = 150;

    /// <summary>Default one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests in flight at once per API key. Default 4.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Tries of one request on 429 or 5xx before the delivery attempt fails. Default 6.</summary>
    [Range(1, 50)]
    public int MaxTries { get; set; } = 6;

    /// <summary>Per request. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
