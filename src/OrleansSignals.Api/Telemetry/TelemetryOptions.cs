namespace OrleansSignals.Api.Telemetry;

/// <summary>Metrics, access log and traces (section <c>Signals:Telemetry</c>); see docs/operations.md, "Metrics and logs".</summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// <c>/metrics</c> answers only with the operator token as <c>Authorization: Bearer</c> (Prometheus:
    /// <c>authorization: { credentials: ... }</c>). Default true; false serves it to anyone who can reach the
    /// host, for a scraper on a private network that cannot send a token.
    /// </summary>
    public bool MetricsRequireOperatorToken { get; set; } = true;

    /// <summary>The access log (category <c>OrleansSignals.AccessLog</c>): a line per failed or slow request. Default true.</summary>
    public bool AccessLog { get; set; } = true;

    /// <summary>
    /// A request that succeeded (status under 400) gets an access log line only when it took at least this long;
    /// failed requests always do. Default 500 ms; <c>00:00:00</c> logs every request. Writing a console line per
    /// request cut the unthrottled read rate by 40% (docs/benchmarks.md, "Session 7"), so the default keeps the lines
    /// an operator looks for.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AccessLogSlowRequest { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Where to send traces over OTLP, e.g. <c>http://127.0.0.1:4318</c>. Unset: the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>) decide; neither set: no traces.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (OTLP's default, port 4317) or <c>http/protobuf</c> (port 4318). Unset: the OTLP exporter's default.</summary>
    public string? OtlpProtocol { get; set; }
}
